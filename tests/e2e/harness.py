"""Shared helpers for end-to-end tests: start real `cdnlab` processes on loopback, wait for them
to say they are ready, talk to them over sockets, stop them by PID.

Convention every server subcommand follows: given `--listen 127.0.0.1:0` it binds an ephemeral
port and prints one line `listening <name> http://127.0.0.1:<port>` on stdout for each listener
(`<name>` is e.g. `http` or `admin`) once it accepts connections. No sleeps: we wait for that line.
"""
import atexit
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

BIN = os.environ.get("CDNLAB_BIN", os.path.join(os.path.dirname(__file__), "..", "..", "build", "cdnlab"))
SOURCE = os.environ.get("CDNLAB_SOURCE", os.path.join(os.path.dirname(__file__), "..", ".."))

_LISTEN_RE = re.compile(r"^listening (\S+) (\S+)://([0-9.]+):(\d+)")


class Proc:
    """A cdnlab process we started. `addr[name]` is (host, port) of each listener it announced."""

    def __init__(self, args, ready=("http",), timeout=20, env=None, preexec_fn=None):
        self.args = [BIN] + list(args)
        self.addr = {}
        self.lines = []
        self._reported = False
        self._cv = threading.Condition()
        self.p = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, env=env, start_new_session=True, preexec_fn=preexec_fn)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        with self._cv:
            while not all(n in self.addr for n in ready):
                left = deadline - time.monotonic()
                if left <= 0 or self.p.poll() is not None:
                    out = "\n".join(self.lines[-30:])
                    self.stop()
                    raise RuntimeError(f"{' '.join(self.args)} did not become ready:\n{out}")
                self._cv.wait(min(left, 0.2))

    def _read(self):
        for line in self.p.stdout:
            line = line.rstrip("\n")
            with self._cv:
                self.lines.append(line)
                m = _LISTEN_RE.match(line)
                if m:
                    self.addr[m.group(1)] = (m.group(3), int(m.group(4)))
                self._cv.notify_all()

    def url(self, name="http"):
        host, port = self.addr[name]
        return f"http://{host}:{port}"

    def output(self):
        with self._cv:
            return "\n".join(self.lines)

    def wait_for_line(self, pattern, timeout=10):
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                for l in self.lines:
                    if rx.search(l):
                        return l
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no line matching {pattern!r} in output:\n{self.output()}")
                self._cv.wait(min(left, 0.2))

    def send_signal(self, sig):
        if self.p.poll() is None:
            os.kill(self.p.pid, sig)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Stop the process we started (by PID only) and return its exit code. A sanitizer report
        in its output (an ASan/UBSan/TSan build, scripts/sanitize.sh) fails the test file: most tests
        do not check the exit code, and a leak is reported only as the process exits."""
        if self.p.poll() is None:
            os.kill(self.p.pid, sig)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.p.pid, signal.SIGKILL)
                self.p.wait()
        self._reader.join(5)  # the report is the last thing the process writes
        report = sanitizer_report(self.lines)
        if report and not self._reported:
            # Recorded, not raised: raising here would leave the caller's other processes running.
            self._reported = True
            _SANITIZER_REPORTS.append(f"{' '.join(self.args)}: sanitizer report:\n{report}")
        return self.p.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


_SANITIZER_RE = re.compile(r"==\d+==ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer:"
                           r"|^\S+:\d+:\d+: runtime error: ")


_SANITIZER_REPORTS = []


@atexit.register
def _fail_on_sanitizer_reports():
    """Any process of the test that printed a sanitizer report fails the test file (exit 1)."""
    if _SANITIZER_REPORTS:
        sys.stderr.write("\n\n".join(_SANITIZER_REPORTS) + "\n")
        sys.stderr.flush()
        os._exit(1)


def sanitizer_report(lines):
    """The first sanitizer report in a process's output and the 40 lines after it, or None."""
    for i, line in enumerate(lines):
        if _SANITIZER_RE.search(line):
            return "\n".join(lines[i:i + 40])
    return None


def raw_request(addr, data: bytes, timeout=5.0, read_until_close=True):
    """Send raw bytes to (host, port) and return everything the server sends back."""
    with socket.create_connection(addr, timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
                if not read_until_close:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def dynamodb_request(addr, target, body, headers=None, timeout=20):
    """POST one JSON request to a DynamoDB-compatible endpoint at (host, port), unsigned, as a
    client that bypasses the SDK's own validation would. `target` is the X-Amz-Target operation
    ("GetItem", or a full "DynamoDBStreams_20120810.ListStreams"); `body` a dict or raw bytes.
    Returns (status, headers with lowercase names, raw body bytes)."""
    if "." not in target:
        target = "DynamoDB_20120810." + target
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    conn = http.client.HTTPConnection(*addr, timeout=timeout)
    try:
        conn.request("POST", "/", body=data, headers={
            "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0", **(headers or {})})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def dynamodb_call(addr, target, body, timeout=20):
    """dynamodb_request, answering (status, the decoded JSON body; {} when the body is empty)."""
    status, _, raw = dynamodb_request(addr, target, body, timeout=timeout)
    return status, (json.loads(raw) if raw else {})


def curl(*args, timeout=10):
    """Run curl (a real client) and return (status_code, headers_dict_lowercase, body_bytes)."""
    cmd = ["curl", "-sS", "-D", "-", "--max-time", str(timeout)] + list(args)
    r = subprocess.run(cmd, capture_output=True, timeout=timeout + 5)
    if r.returncode != 0:
        raise RuntimeError(f"curl failed ({r.returncode}): {r.stderr.decode(errors='replace')}")
    raw = r.stdout
    # With -D - the header block(s) come first; skip 100 Continue blocks.
    while True:
        head, _, rest = raw.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode()
        code = int(status_line.split()[1])
        if code == 100:
            raw = rest
            continue
        break
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.decode(errors="replace").partition(":")
        headers.setdefault(k.strip().lower(), v.strip())
    return code, headers, rest


def main():
    unittest.main(verbosity=2)
