"""End-to-end: the shop right after `cdnlab up`, and its live dashboard while load runs.

`cdnlab up --detach` returns while the functions' provisioned environments still start in the
Lambda service; `cdnlab load` run straight after it waits until they are READY, and then a
short run has no error at all: no throttle in the Lambda service, no 5xx at the gateway, every
client request answered. Meanwhile the dashboard `up` started (next to the router) is open in
headless Chromium: it has a panel per tier (edge, shield, gateway, Lambda, store, origin), its
per-tier chart and the store's capacity chart fill with points, the store's reads, the Lambda
invocations and the gateway's requests move, and the page logs no error.

Functions run on Node.js where node and the AWS SDK are installed (else their native versions).
The topology is the shop on a random 127.0.X.0 block of its own (shop_topology.py).
"""
import json
import os
import re
import subprocess
import sys
import threading
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from browser import CHROMIUM, browser_for  # noqa: E402
from harness import BIN  # noqa: E402
from running_topology import RunningTopology  # noqa: E402
from shop_topology import make_shop  # noqa: E402

TIERS = ["edge", "shield", "gateway", "lambda", "store", "origin"]


def lambda_counters(address):
    """The Lambda service's per-function invocations, throttles and cold starts (for messages)."""
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=10) as r:
        return "\n".join(line for line in r.read().decode().splitlines()
                         if re.match(r"cdnlab_lambda_(invocations|throttles|cold_starts)_total\{", line))


def tier_value(kind, field):
    return f"document.querySelector('[data-tier=\"{kind}\"][data-field=\"{field}\"]').textContent"


def series_points(plot, series):
    return f"document.querySelectorAll('#plot-{plot} .pt[data-series=\"{series}\"]').length"


@unittest.skipUnless(os.path.exists(CHROMIUM), "chromium is not installed (scripts/setup.sh installs it)")
class ShopLiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        made = {}

        def write(folder):
            path, made["addr"] = make_shop(folder)
            return path

        cls.stack = RunningTopology("cdnlab-shop-live-e2e-", write=write)
        cls.addr = made["addr"]
        m = re.search(r"^dashboard\s.*?(http://\S+)", cls.stack.up_output, re.M)
        if not m:
            cls.stack.close()
            raise RuntimeError("no dashboard in the table of `up`:\n" + cls.stack.up_output)
        cls.dashboard = m.group(1) + "/"
        cls.browser = browser_for(cls.stack)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.stack.close()

    def load(self, name):
        """A short run at the shop (4 s at 30 requests/s); its JSON results and its output."""
        results = os.path.join(self.stack.dir, f"{name}.json")
        r = subprocess.run([BIN, "load", self.stack.topo, "--duration", "4s", "--warmup", "0s", "--rate", "30",
                            "--seed", "11", "--json", results], capture_output=True, text=True, env=self.stack.env,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(results) as f:
            return json.load(f), r.stdout

    def test_load_right_after_up_has_no_error_and_the_dashboard_shows_every_tier(self):
        self.assertIn("provisioned concurrency starting in the background", self.stack.up_output)
        # The page polls from its own thread: it only sees the traffic sent while it is open, and
        # Chromium takes seconds to open it on a busy machine, so runs follow one another
        # (bounded) until the page has seen every tier move.
        seen = "(tierHistory[%r] || {})[%r] || []"
        moved = [f"({seen % ('live-tiers-chart', s)}).some(p => p[1] > 0)"
                 for s in ("store reads", "Lambda invocations", "gateway requests")]
        moved.append(f"({seen % ('live-capacity-chart', 'read capacity units')}).some(p => p[1] > 0)")
        opened = {}

        def watch():
            try:
                opened["page"] = self.browser.open(
                    self.dashboard, until=" && ".join(["Number(document.body.dataset.polls) >= 3", *moved]),
                    read=READ, timeout=150)
            except BaseException as e:  # reported by the main thread
                opened["error"] = e

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        runs = []
        while len(runs) < 8 and (not runs or watcher.is_alive()):
            runs.append(self.load(f"run{len(runs)}"))
            watcher.join(0.1)
        watcher.join(160)
        self.assertNotIn("error", opened, opened.get("error"))

        # The first run, straight after `up` (while the environments still started): not one
        # error, no throttle in the Lambda service, no 5xx at the gateway.
        run, out = runs[0]
        total, tiers = run["total"], run["tiers"]
        why = f"{out}\nthe Lambda service's counters:\n{lambda_counters(self.addr['lambda'])}"
        self.assertGreater(total["requests"], 80)
        self.assertEqual(total["errors"], 0, why)
        self.assertEqual(tiers["lambda"]["throttles"], 0, why)
        self.assertEqual(tiers["gateway"]["5xx"], 0, why)
        self.assertGreater(tiers["lambda"]["invocations"], 0)

        # The dashboard while they ran: every tier, both application charts with their points.
        page = opened["page"]
        self.assertEqual(page.errors, [])
        self.assertEqual(page.value(READ[0]), ",".join(TIERS))
        for plot in ("live-tiers", "live-capacity"):
            drawn = page.value(f"document.querySelectorAll('#plot-{plot} svg .pt').length")
            self.assertGreater(drawn, 0, plot)
            self.assertEqual(drawn, page.value(f"Number(document.querySelector('#plot-{plot}').dataset.points)"), plot)
        for plot, series in (("live-tiers", "store reads"), ("live-tiers", "Lambda invocations"),
                             ("live-tiers", "Lambda cold starts"), ("live-tiers", "gateway requests"),
                             ("live-tiers", "store writes"), ("live-capacity", "read capacity units")):
            self.assertGreater(page.value(series_points(plot, series)), 0, series)
        self.assertRegex(page.value(tier_value("lambda", "cold_starts:total")), r"^\d+$")
        self.assertEqual(page.value(tier_value("lambda", "throttles:total")), "0")
        self.assertEqual(page.value("document.querySelector('td[data-id=\"store\"][data-field=\"up\"]').textContent"), "up")
        self.assertEqual(page.value("document.querySelector('td[data-id=\"lambda\"][data-field=\"up\"]').textContent"), "up")
        self.assertRegex(page.value("document.querySelector('#status').textContent"), r"^(\d+) of \1 components up")


READ = ["[...document.querySelectorAll('#tiers [data-panel]')].map(e => e.dataset.panel).join(',')",
        *[f"document.querySelectorAll('#plot-{p} svg .pt').length" for p in ("live-tiers", "live-capacity")],
        *[f"Number(document.querySelector('#plot-{p}').dataset.points)" for p in ("live-tiers", "live-capacity")],
        *[series_points(p, s) for p, s in (("live-tiers", "store reads"), ("live-tiers", "Lambda invocations"),
                                            ("live-tiers", "Lambda cold starts"), ("live-tiers", "gateway requests"),
                                            ("live-tiers", "store writes"), ("live-capacity", "read capacity units"))],
        tier_value("lambda", "cold_starts:total"),
        tier_value("lambda", "throttles:total"),
        "document.querySelector('td[data-id=\"store\"][data-field=\"up\"]').textContent",
        "document.querySelector('td[data-id=\"lambda\"][data-field=\"up\"]').textContent",
        "document.querySelector('#status').textContent"]


if __name__ == "__main__":
    unittest.main(verbosity=2)
