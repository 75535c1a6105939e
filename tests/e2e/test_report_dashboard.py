"""End-to-end: the run report and the live dashboard in a real browser (headless Chromium).

A small topology (an origin, a shield, two edge PoPs) runs under `cdnlab up`; `cdnlab load`
drives a few seconds of traffic and writes its JSON; `cdnlab report` turns it into the HTML
page, which Chromium opens from the file: every plot is there with its data points, the map
has the topology's PoPs, and the page logs no error. Then `cdnlab dashboard` serves the live
page: while requests go through a PoP, the page's counters and per-second chart move.

Addresses are 127.A.B.x from this test's PID; the run directory is a private XDG_RUNTIME_DIR.
"""
import os
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from browser import CHROMIUM, browser_for  # noqa: E402
from harness import BIN, Proc, curl  # noqa: E402
from running_topology import RunningTopology, small_topology_yaml  # noqa: E402

PID = os.getpid()
NET = f"127.{150 + PID % 50}.{(PID // 50) % 250}"


@unittest.skipUnless(os.path.exists(CHROMIUM), "chromium is not installed (scripts/setup.sh installs it)")
class ReportAndDashboardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = RunningTopology("cdnlab-report-e2e-", name=f"report-e2e-{PID}",
                                  yaml=small_topology_yaml(NET, latency=True), flags=["--no-latency"])
        cls.dir, cls.env, cls.topo = cls.stack.dir, cls.stack.env, cls.stack.topo
        cls.browser = browser_for(cls.stack)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.stack.close()

    def test_report_of_a_real_run(self):
        results = os.path.join(self.dir, "results.json")
        page = os.path.join(self.dir, "report.html")
        r = subprocess.run([BIN, "load", self.topo, "--duration", "3s", "--warmup", "1s", "--rate", "150",
                            "--json", results], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = subprocess.run([BIN, "report", results, "-o", page], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("report.html", r.stdout)

        plots = ["map", "hit-ratio", "latency-cdf", "tier-breakdown", "offload"]
        p = self.browser.open("file://" + page, read=[
            *[f"Number(document.querySelector('[data-plot=\"{x}\"]').dataset.points)" for x in plots],
            *[f"document.querySelectorAll('[data-plot=\"{x}\"] svg .pt').length" for x in plots],
            "[...document.querySelectorAll('#plot-map [data-kind]')].map(e => e.dataset.id).sort().join(',')",
            "document.querySelectorAll('#table-pops tr').length",
            "document.querySelector('[data-figure=\"hit-ratio\"] .v').textContent",
            "[...document.querySelectorAll('#table-config td:first-child')].map(e => e.textContent)",
            "document.querySelectorAll('script').length",
            "performance.getEntriesByType('resource').length",
        ])
        self.assertEqual(p.errors, [])
        for x in plots:
            declared = p.value(f"Number(document.querySelector('[data-plot=\"{x}\"]').dataset.points)")
            drawn = p.value(f"document.querySelectorAll('[data-plot=\"{x}\"] svg .pt').length")
            self.assertGreater(drawn, 0, x)
            self.assertEqual(drawn, declared, x)
        ids = p.value("[...document.querySelectorAll('#plot-map [data-kind]')].map(e => e.dataset.id).sort().join(',')")
        self.assertEqual(ids.split(","), sorted(["berlin", "fra", "origin", "shield", "syd", "sydney"]))
        self.assertEqual(p.value("document.querySelectorAll('#table-pops tr').length"), 1 + 2 + 2)  # head, 2 PoPs, shield, all
        self.assertRegex(p.value("document.querySelector('[data-figure=\"hit-ratio\"] .v').textContent"), r"^\d+\.\d %$")
        # The run's configuration: the seed and rate it ran with, among the rest.
        config = p.value("[...document.querySelectorAll('#table-config td:first-child')].map(e => e.textContent)")
        self.assertGreater(len(config), 3, config)
        self.assertTrue(any("seed" in k for k in config), config)
        # Self-contained: no script and nothing fetched.
        self.assertEqual(p.value("document.querySelectorAll('script').length"), 0)
        self.assertEqual(p.value("performance.getEntriesByType('resource').length"), 0)

    def test_bad_results_file_is_refused(self):
        bad = os.path.join(self.dir, "bad.json")
        with open(bad, "w") as f:
            f.write('{"run": {}, "total": {}, "pops": {"fra": {"series": [7]}}}')
        r = subprocess.run([BIN, "report", bad, "-o", os.path.join(self.dir, "x.html")], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("pops.fra.series[0]: not an object", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.html")))

    def test_live_dashboard_moves_with_traffic(self):
        with Proc(["dashboard", self.topo, "--listen", f"{NET}.9:0"]) as dash:
            host, port = dash.addr["http"]
            stop = threading.Event()

            def traffic():
                n = 0
                while not stop.is_set() and n < 3000:  # bounded in count and by the page's wait
                    curl(f"http://{NET}.3:8080/obj/{n % 20}")
                    n += 1

            t = threading.Thread(target=traffic, daemon=True)
            t.start()
            try:
                p = self.browser.open(
                    f"http://{host}:{port}/",
                    until="Number(document.body.dataset.polls) >= 3 && "
                          "Number(document.querySelector('#plot-live-hit-ratio').dataset.points) > 0",
                    read=["Number(document.querySelector('td[data-id=\"fra\"][data-field=\"requests\"]').textContent)",
                          "document.querySelector('td[data-id=\"fra\"][data-field=\"up\"]').textContent",
                          "document.querySelector('td[data-id=\"origin\"][data-field=\"up\"]').textContent",
                          "document.querySelector('#status').textContent",
                          "document.querySelectorAll('#plot-map [data-kind=\"pop\"]').length"],
                    timeout=30)
            finally:
                stop.set()
                t.join(15)
        self.assertEqual(p.errors, [])
        self.assertGreater(p.value("Number(document.querySelector('td[data-id=\"fra\"][data-field=\"requests\"]').textContent)"), 0)
        self.assertEqual(p.value("document.querySelector('td[data-id=\"fra\"][data-field=\"up\"]').textContent"), "up")
        self.assertEqual(p.value("document.querySelector('td[data-id=\"origin\"][data-field=\"up\"]').textContent"), "up")
        self.assertIn("4 of 4 components up", p.value("document.querySelector('#status').textContent"))
        self.assertEqual(p.value("document.querySelectorAll('#plot-map [data-kind=\"pop\"]').length"), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
