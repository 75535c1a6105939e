"""Schedule event sources: `cdnlab lambda --schedule FUNCTION=EXPRESSION` invokes the function
asynchronously on an EventBridge rate(...) or cron(...) expression with EventBridge's
"Scheduled Event" payload. --schedule-speedup 60 runs schedule time 60x faster, so rate(1 minute)
fires every wall-clock second and the test stays short; the events carry schedule time, so
consecutive firings are exactly 60 s apart in them. A malformed expression stops the service at
start with the field named."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
from datetime import datetime

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN  # noqa: E402
from lambda_util import ROLE, client, make_zip, start_lambda  # noqa: E402

RECORDER = """const fs = require("fs");
exports.handler = async (event) => { fs.appendFileSync(process.env.OUT, JSON.stringify(event) + "\\n"); };
"""


class LambdaSchedule(unittest.TestCase):
    def test_rate_and_cron_fire_with_the_scheduled_event(self):
        tmp = tempfile.TemporaryDirectory()
        out_rate, out_cron = os.path.join(tmp.name, "rate.jsonl"), os.path.join(tmp.name, "cron.jsonl")
        proc = start_lambda("--schedule", "tick=rate(1 minute)", "--schedule", "nightly=cron(* * * * ? *)",
                            "--schedule-speedup", "60")
        lam = client(proc)
        try:
            for name, out in (("tick", out_rate), ("nightly", out_cron)):
                lam.create_function(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                    Code={"ZipFile": make_zip({"index.js": RECORDER})},
                                    Environment={"Variables": {"OUT": out}})
            events = {}
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                for path in (out_rate, out_cron):
                    if os.path.exists(path):
                        with open(path) as f:
                            events[path] = [json.loads(l) for l in f if l.strip()]
                if all(len(events.get(p, [])) >= 2 for p in (out_rate, out_cron)):
                    break
                time.sleep(0.1)
            self.assertTrue(all(len(events.get(p, [])) >= 2 for p in (out_rate, out_cron)), events)
            for path, rule in ((out_rate, "cdnlab-schedule-1-tick"), (out_cron, "cdnlab-schedule-2-nightly")):
                first, second = events[path][0], events[path][1]
                self.assertEqual((first["version"], first["detail-type"], first["source"], first["account"],
                                  first["region"], first["detail"]),
                                 ("0", "Scheduled Event", "aws.events", "000000000000", "us-east-1", {}))
                self.assertEqual(first["resources"], [f"arn:aws:events:us-east-1:000000000000:rule/{rule}"])
                self.assertNotEqual(first["id"], second["id"])
                t1 = datetime.strptime(first["time"], "%Y-%m-%dT%H:%M:%SZ")
                t2 = datetime.strptime(second["time"], "%Y-%m-%dT%H:%M:%SZ")
                self.assertEqual((t2 - t1).total_seconds(), 60, (first["time"], second["time"]))
            # cron fires on whole minutes of schedule time.
            self.assertTrue(all(e["time"].endswith(":00Z") for e in events[out_cron]), events[out_cron])
        finally:
            lam.close()
            proc.stop()
            tmp.cleanup()

    def test_malformed_schedule_is_refused_at_start(self):
        for flag, words in (("tick=rate(1 minutes)", "singular"), ("tick=cron(0 0 * * 8 *)", "exactly one"),
                            ("rate(5 minutes)", "FUNCTION=EXPRESSION"), ("t=cron(61 * * * ? *)", "minutes: 61")):
            r = subprocess.run([BIN, "lambda", "--listen", "127.0.0.1:0", "--in-memory", "--schedule", flag],
                               capture_output=True, text=True, timeout=20)
            self.assertEqual(r.returncode, 2, (flag, r.stderr))
            self.assertIn(words, r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
