"""End-to-end: a PoP run with a low file-descriptor limit (RLIMIT_NOFILE set for the child only)
survives a flood of 1.5x that many idle connections: the loop threads stay quiet (no accept
spin), a connection opened before the flood keeps getting answers, the admin /metrics (over a
connection opened before the flood) counts the EMFILE accepts, a new GET is answered within a
second of the flood ending, and SIGTERM still stops the process cleanly."""
import os
import resource
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, main  # noqa: E402
from test_pop import Topology, metric  # noqa: E402

FD_LIMIT = 128
FLOOD = FD_LIMIT * 3 // 2


def limit_fds():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def cpu_ticks(pid):
    """utime + stime of the process, in clock ticks (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def get(sock, path, timeout=5.0):
    """One keep-alive GET on an open socket; returns (status, head, body)."""
    sock.settimeout(timeout)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a response head: {data!r}")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed mid-body")
        body += chunk
    return int(head.split(b" ")[1]), head.decode("latin-1"), body[:length]


def connect(addr, timeout=5.0):
    s = socket.create_connection(addr, timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class FdExhaustionTest(unittest.TestCase):
    def setUp(self):
        self.topo = Topology()
        self.flood = []

    def tearDown(self):
        for s in self.flood:
            s.close()
        self.topo.close()

    def test_flood_beyond_the_fd_limit(self):
        # Two workers: their accept loops share one descriptor table, as in production.
        env = dict(os.environ, CDNLAB_ADMIN_TOKEN="t")
        pop = Proc(["pop", "--upstream", self.topo.origin.url(), "--listen", "127.0.0.1:0", "--admin",
                    "127.0.0.1:0", "--capacity", "16MiB", "--workers", "2", "--id", "fd"],
                   ready=("http", "admin"), env=env, preexec_fn=limit_fds)
        self.topo.pops.append(pop)
        client = connect(pop.addr["http"])
        admin = connect(pop.addr["admin"])
        status, _, _ = get(client, "/obj/1")  # fills the cache: answered later without an upstream fd
        self.assertEqual(status, 200)

        for _ in range(FLOOD):
            self.flood.append(connect(pop.addr["http"]))

        def emfile():
            status, _, body = get(admin, "/metrics")
            self.assertEqual(status, 200)
            v = metric(body.decode(), 'cdnlab_http_accept_errors_total{server="pop",reason="emfile"}')
            return v or 0

        deadline = time.monotonic() + 10
        while emfile() == 0:
            self.assertLess(time.monotonic(), deadline, "the flood never hit the descriptor limit")
            time.sleep(0.05)

        # Out of descriptors, the accept loops must rest: before the fix they spun at 100-200 %.
        hz = os.sysconf("SC_CLK_TCK")
        t0, c0 = time.monotonic(), cpu_ticks(pop.p.pid)
        time.sleep(2.0)
        t1, c1 = time.monotonic(), cpu_ticks(pop.p.pid)
        cpu = (c1 - c0) / hz / (t1 - t0)
        self.assertLess(cpu, 0.3, f"PoP used {cpu:.0%} CPU while out of descriptors")

        status, head, _ = get(client, "/obj/1")
        self.assertEqual(status, 200)
        self.assertIn("X-Cache: Hit", head)
        self.assertGreater(emfile(), 0)

        for s in self.flood:
            s.close()
        self.flood = []
        started = time.monotonic()
        fresh = connect(pop.addr["http"], timeout=1.0)
        status, _, _ = get(fresh, "/obj/1", timeout=1.0)
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - started, 1.0)
        fresh.close()
        client.close()
        admin.close()

        rc = pop.stop(timeout=10)
        self.assertEqual(rc, 0, f"SIGTERM did not stop the PoP cleanly:\n{pop.output()[-2000:]}")


if __name__ == "__main__":
    main()
