"""bench/hit_path_run.py, the part of bench/hit-path.sh that runs one client and reads its report:
a run whose client fails or prints what it cannot parse comes back as one "FAILED <why>" line
(the benchmark reports it and goes on, issue 8), never as a traceback or made-up figures; a good
report from either client becomes "rps p50 p99 errors server_us client_us client_cores". The
clients here are stand-in scripts, so the test needs no server: the "server" whose CPU is read is
this test's own process."""
import os
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SOURCE  # noqa: E402

RUNNER = os.path.join(SOURCE, "bench", "hit_path_run.py")

WRK_REPORT = """Running 1s test @ http://127.0.0.1:1/obj/1
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   310.00us  100.00us   2.00ms   90.00%
    Req/Sec    12.40k     1.10k   14.00k    70.00%
  Latency Distribution
     50%  290.00us
     75%  350.00us
     90%  420.00us
     99%    1.50ms
  12345 requests in 1.00s, 12.50MB read
  Non-2xx or 3xx responses: 7
Requests/sec:  12345.00
Transfer/sec:     12.50MB
"""


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def client(self, name, script):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + script)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def run_with(self, client, *extra):
        env = dict(os.environ, PATH=self.dir.name + ":" + os.environ["PATH"])
        p = subprocess.run([sys.executable, RUNNER, client, "http://127.0.0.1:1/obj/1", "1", "8", "1",
                            str(os.getpid())] + list(extra), capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        return p.stdout.strip()

    def test_wrk_report_is_read(self):
        self.client("wrk", "cat <<'EOF'\n" + WRK_REPORT + "EOF\n")
        fields = self.run_with("wrk").split()
        self.assertEqual(fields[:4], ["12345", "0.290", "1.500", "7"])
        self.assertEqual(len(fields), 8)
        self.assertEqual(fields[7], "0.0000")  # a closed loop sends nothing late

    def test_stdev_column_ending_in_50_percent_is_not_the_median(self):
        # wrk's "+/- Stdev" column reads like a percentile line; the median is the 50% row.
        self.client("wrk", "cat <<'EOF'\n" + WRK_REPORT.replace("90.00%", "50.50%") + "EOF\n")
        self.assertEqual(self.run_with("wrk").split()[:3], ["12345", "0.290", "1.500"])

    def test_wrk_garbage_is_a_failed_run(self):
        self.client("wrk", "echo 'segmentation fault? no: just noise'\n")
        self.assertRegex(self.run_with("wrk"), r"^FAILED unparsable output: .*noise")

    def test_wrk_exit_status_is_a_failed_run(self):
        self.client("wrk", "echo 'unable to connect to 127.0.0.1:1 Connection refused'; exit 1\n")
        self.assertRegex(self.run_with("wrk"), r"^FAILED wrk exited 1: .*Connection refused")

    def test_lean_client_report_is_read_and_errors_are_counted(self):
        lean = self.client("hit_load", 'echo "$@" > "$(dirname "$0")/args"\n'
                           "echo requests=500 seconds=1.000 rps=500 p50_ms=0.100 p90_ms=0.2 p99_ms=0.900 "
                           "p999_ms=1 max_ms=2 errors=2 non2xx=3 bytes=100\n")
        fields = self.run_with(lean, "65536").split()
        self.assertEqual(fields[:4], ["500", "0.100", "0.900", "5"])
        with open(os.path.join(self.dir.name, "args")) as f:
            self.assertEqual(f.read().split(), ["-t", "1", "-c", "8", "-d", "1", "-s", "65536",
                                                "http://127.0.0.1:1/obj/1"])

    def test_open_loop_rate_is_passed_and_late_sends_reported(self):
        lean = self.client("hit_load", 'echo "$@" > "$(dirname "$0")/args"\n'
                           "echo requests=400 seconds=1.000 rps=400 p50_ms=0.100 p90_ms=0.2 p99_ms=0.900 "
                           "p999_ms=1 max_ms=2 errors=0 non2xx=0 bytes=100 offered_rps=500 late_sends=100\n")
        fields = self.run_with(lean, "", "500").split()
        self.assertEqual(fields[:4] + fields[7:], ["400", "0.100", "0.900", "0", "0.2500"])
        with open(os.path.join(self.dir.name, "args")) as f:
            self.assertEqual(f.read().split(), ["-t", "1", "-c", "8", "-d", "1", "-R", "500",
                                                "http://127.0.0.1:1/obj/1"])

    def test_wrk_open_loop_is_refused(self):
        self.client("wrk", "cat <<'EOF'\n" + WRK_REPORT + "EOF\n")
        self.assertRegex(self.run_with("wrk", "", "500"), r"^FAILED wrk has no open loop")

    def test_thread_report_watches_the_run_and_keeps_the_result_line(self):
        # HIT_PATH_THREADS=1: a window from 1 s into the run to 2 s before its end; the client
        # here is a busy shell loop for 5 s, the "server" this test's process (idle).
        lean = self.client("hit_load", "exec python3 -c 'import time\nend = time.monotonic() + 5\n"
                           "while time.monotonic() < end: pass\nprint(\"requests=500 seconds=5.000 rps=100 "
                           "p50_ms=0.100 p90_ms=0.2 p99_ms=0.900 p999_ms=1 max_ms=2 errors=0 non2xx=0 "
                           "bytes=100\")'\n")
        env = dict(os.environ, PATH=self.dir.name + ":" + os.environ["PATH"], HIT_PATH_THREADS="1")
        p = subprocess.run([sys.executable, RUNNER, lean, "http://127.0.0.1:1/obj/1", "1", "8", "5",
                            str(os.getpid())], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.split()[:4], ["100", "0.100", "0.900", "0"])
        self.assertRegex(p.stderr, r"threads: [\d.]+ s window, machine idle [\d.]+% of \d+ cores")
        # The client is listed by name and thread id (a client's threads always are, busy or not:
        # on a loaded box the script may not even have exec'd python3 by the window's end).
        self.assertRegex(p.stderr, r"threads: client (python3|bash|sh)\[\d+\]: [\d.]+ cores, runnable but "
                                   r"waiting for a CPU \d+ ms/s")

    def test_thread_report_of_a_short_run_says_so(self):
        lean = self.client("hit_load", "echo requests=5 seconds=1.000 rps=5 p50_ms=0.100 p90_ms=0.2 "
                           "p99_ms=0.900 p999_ms=1 max_ms=2 errors=0 non2xx=0 bytes=100\n")
        env = dict(os.environ, PATH=self.dir.name + ":" + os.environ["PATH"], HIT_PATH_THREADS="1")
        p = subprocess.run([sys.executable, RUNNER, lean, "http://127.0.0.1:1/obj/1", "1", "8", "1",
                            str(os.getpid())], capture_output=True, text=True, env=env, timeout=30)
        self.assertEqual(p.stdout.split()[:2], ["5", "0.100"])
        self.assertIn("threads: no figures", p.stderr)

    def test_lean_client_garbage_or_failure_is_a_failed_run(self):
        lean = self.client("hit_load", "echo requests=lots\n")
        self.assertRegex(self.run_with(lean), r"^FAILED unparsable output")
        lean = self.client("hit_load", "echo 'hit_load: no response completed' >&2; exit 1\n")
        self.assertRegex(self.run_with(lean), r"^FAILED hit_load exited 1: hit_load: no response completed")


if __name__ == "__main__":
    unittest.main(verbosity=2)
