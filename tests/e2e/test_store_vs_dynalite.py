"""`cdnlab store` against dynalite 4.0.0, request by request (tests/clients/diff): ~2150 signed requests
generated from dynalite's validations, its actions' error paths and the legacy parameters go to
both servers, and every answer must match on status, `__type` and message (and on the result for
valid requests) unless the case is a documented departure (tests/clients/diff/departures.js: where
dynalite departs from today's DynamoDB). A departure no case shows any more fails the run too, so the list stays true.

The store is started here (ephemeral loopback port, stopped by PID); the harness starts dynalite in
its own node process on 127.0.0.1:0 and stops it by PID. `npm ci` for tests/clients/dynalite runs
when its node_modules is stale.
"""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, SOURCE  # noqa: E402
from test_clients import npm_ci  # noqa: E402

ROOT = os.path.abspath(SOURCE)
DYNALITE = os.path.join(ROOT, "tests", "clients", "dynalite")
RUN = os.path.join(ROOT, "tests", "clients", "diff", "run.js")
SUMMARY = re.compile(r"cases (\d+), mismatches (\d+), documented departures (\d+), undocumented (\d+), "
                     r"stale departures (\d+)")


class StoreVsDynalite(unittest.TestCase):
    def test_every_answer_matches_or_is_a_documented_departure(self):
        npm_ci(DYNALITE)
        store = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        try:
            r = subprocess.run(["node", RUN, "--store-url", store.url()], capture_output=True, text=True,
                               timeout=240)
            # Every malformed request was answered; the store is still up afterwards.
            self.assertIsNone(store.p.poll(), store.output()[-2000:])
        finally:
            store.stop()
        out = r.stdout + r.stderr
        m = SUMMARY.search(out)
        self.assertIsNotNone(m, f"no summary line from the harness:\n{out[-4000:]}")
        cases, mismatches, documented, undocumented, stale = map(int, m.groups())
        # The generator must really have produced its cases, and the comparison must really have
        # seen the departures it documents (else it compares nothing).
        self.assertGreater(cases, 1500, out[-2000:])
        self.assertGreater(documented, 0, out[-2000:])
        self.assertEqual(undocumented, 0, f"answers that differ from dynalite's:\n{out[-12000:]}")
        self.assertEqual(stale, 0, f"departures no case shows any more:\n{out[-4000:]}")
        self.assertEqual(r.returncode, 0, out[-4000:])


if __name__ == "__main__":
    unittest.main()
