#!/usr/bin/python3
"""One load-client run of bench/hit-path.sh, with the CPU each side spent on it.

    hit_path_run.py CLIENT URL THREADS CONNS SECONDS SERVER_PID [BODY_BYTES [RATE]]

CLIENT is `wrk` or the path of the lean client built from bench/hit-load/hit_load.c (BODY_BYTES,
when given and not empty, makes it check every body's size; RATE, when given, runs it as an open
loop offering that many requests per second, latency measured from each request's intended send
time). Prints one line, "rps p50_ms p99_ms non2xx server_us client_us client_cores late_share",
or "FAILED <why>" when the client failed or printed something this cannot parse (the caller
reports that run and goes on). late_share is the fraction of an open loop's requests that left
more than 1 ms after their intended time (0 in a closed loop): well above 0, the offered rate was
more than the server, or the client, could keep up with, and the p99 measures that backlog.

Why the CPU figures: on a 2-core machine wrk shares the CPU with the server it measures. When
the client's one thread is busy a whole core (client_cores near 1.0), req/s is its ceiling,
not the server's, and every server that is fast enough shows the same figure. server_us and
client_us (CPU microseconds per response: user + system, the server's whole process tree) say
what each response cost on each side, which the client's ceiling cannot hide.
"""
import os
import re
import resource
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def tree_pids(root):
    """root and every descendant (nginx workers, varnishd's cache process)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        children.setdefault(ppid, []).append(int(entry))
    out, pending = [], [root]
    while pending:
        pid = pending.pop()
        out.append(pid)
        pending.extend(children.get(pid, []))
    return out


def tree_cpu_s(root):
    """User + system seconds of root's process tree (each process's figure covers its threads)."""
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / TICKS


def ms(value):
    n, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    n = float(n)
    return {"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60000}[unit]


def run_wrk(url, threads, conns, seconds):
    """wrk's report -> (requests, rps, p50 ms, p99 ms, non-2xx/3xx); raises ValueError."""
    proc = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", url],
                          capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise ValueError(f"wrk exited {proc.returncode}", text)
    try:
        count = int(re.search(r"(\d+) requests in", text).group(1))
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        # Anchored: the "+/- Stdev" column also ends in % (e.g. "Latency ... 95.50%").
        p50 = ms(re.search(r"^\s*50%\s+(\S+)$", text, re.M).group(1))
        p99 = ms(re.search(r"^\s*99%\s+(\S+)$", text, re.M).group(1))
    except (AttributeError, KeyError):
        raise ValueError("unparsable output", text)
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                            text)
    bad = int(errs.group(1)) if errs else 0
    if socket_errs:
        bad += sum(int(x) for x in socket_errs.groups())
    return count, rps, p50, p99, bad


def run_lean(client, url, threads, conns, seconds, body, rate):
    """The lean client's key=value line -> the same tuple + late sends; raises ValueError."""
    cmd = ([client, "-t", threads, "-c", conns, "-d", seconds] + (["-s", body] if body else []) +
           (["-R", rate] if rate else []) + [url])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise ValueError(f"{os.path.basename(client)} exited {proc.returncode}", text)
    try:
        kv = dict(item.split("=", 1) for item in proc.stdout.split())
        return (int(kv["requests"]), float(kv["rps"]), float(kv["p50_ms"]), float(kv["p99_ms"]),
                int(kv["errors"]) + int(kv["non2xx"]), int(kv.get("late_sends", 0)))
    except (KeyError, ValueError):
        raise ValueError("unparsable output", text)


def main():
    client, url, threads, conns, seconds, server_pid = sys.argv[1:7]
    body = sys.argv[7] if len(sys.argv) > 7 else ""
    rate = sys.argv[8] if len(sys.argv) > 8 else ""
    server_pid = int(server_pid)
    server0 = tree_cpu_s(server_pid)
    client0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.monotonic()
    try:
        if client == "wrk":
            if rate:
                raise ValueError("wrk has no open loop (its latency would hide coordinated omission)", "")
            count, rps, p50, p99, bad = run_wrk(url, threads, conns, seconds)
            late = 0
        else:
            count, rps, p50, p99, bad, late = run_lean(client, url, threads, conns, seconds, body, rate)
        wall = time.monotonic() - wall0
        client1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        server1 = tree_cpu_s(server_pid)
        if count <= 0:
            raise ValueError("no request completed", "")
        if not os.path.exists(f"/proc/{server_pid}") or server1 < server0:
            raise ValueError(f"server process {server_pid} exited during the run", "")
    except ValueError as e:
        why, text = e.args if len(e.args) == 2 else (str(e), "")
        last = " | ".join(l.strip() for l in text.strip().splitlines()[-2:])[:160]
        print("FAILED " + why + ": " + (last or "no output"))
        return
    client_s = (client1.ru_utime - client0.ru_utime) + (client1.ru_stime - client0.ru_stime)
    server_us = (server1 - server0) / count * 1e6
    client_us = client_s / count * 1e6
    print(f"{rps:.0f} {p50:.3f} {p99:.3f} {bad} "
          f"{server_us:.1f} {client_us:.1f} {client_s / wall:.2f} {late / count:.4f}")


if __name__ == "__main__":
    main()
