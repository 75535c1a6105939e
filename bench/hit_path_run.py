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

With HIT_PATH_THREADS=1 it also prints to stderr, for a window inside the run (from 1 s in to 2 s
before its end), what limits it:
each thread of the client and of the server's tree (CPU in cores, time runnable but waiting for a
CPU from /proc/<pid>/task/<tid>/schedstat, involuntary context switches), the machine's idle
share (/proc/stat), and with perf, syscalls per response of the client and of the server.
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


def thread_stats(pids):
    """{(pid, tid): (comm, cpu ticks, run-queue wait ns, involuntary switches)} of every thread."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            base = f"/proc/{pid}/task/{tid}"
            try:
                with open(base + "/stat") as f:
                    head, rest = f.read().rsplit(")", 1)
                fields = rest.split()
                with open(base + "/schedstat") as f:
                    wait_ns = int(f.read().split()[1])
                with open(base + "/status") as f:
                    nvcsw = int(re.search(r"nonvoluntary_ctxt_switches:\s+(\d+)", f.read()).group(1))
            except (OSError, IndexError, ValueError, AttributeError):
                continue
            out[(pid, int(tid))] = (head.split("(", 1)[1], int(fields[11]) + int(fields[12]), wait_ns,
                                    nvcsw)
    return out


def machine_idle():
    """(idle + iowait jiffies, all jiffies) from /proc/stat's cpu line."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[3] + v[4], sum(v)


def start_perf(pids, seconds):
    """perf stat counting each thread's syscalls for `seconds`, started in the background; None
    without perf."""
    try:
        return subprocess.Popen(["perf", "stat", "--per-thread", "-x,", "-e", "raw_syscalls:sys_enter",
                                 "-p", ",".join(str(x) for x in pids), "--", "sleep", f"{seconds:.2f}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except OSError:
        return None


def perf_counts(perf):
    """{tid: syscalls} from start_perf's report ("comm-tid,count,,raw_syscalls:sys_enter,...")."""
    try:
        _, err = perf.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        perf.kill()
        perf.communicate()
        return None
    counts = {}
    for m in re.finditer(r"^.*-(\d+),(\d+),,raw_syscalls:sys_enter", err, re.M):
        counts[int(m.group(1))] = int(m.group(2))
    return counts or None


def watch_threads(client, server_pid, seconds):
    """Watches a window inside the run (from 1 s in until 2 s before its end): what each busy
    thread of the client (a Popen) and of the server's tree did in it. None when the run is too
    short, or when the client ended before the window did (a loaded machine can delay perf)."""
    window = float(seconds) - 3
    if window < 1:
        return None
    time.sleep(1)  # past the connection set-up: the window is the steady state
    server_pids = tree_pids(server_pid)
    idle0, all0 = machine_idle()
    before = thread_stats([client.pid] + server_pids)
    wall0 = time.monotonic()
    perf = start_perf([client.pid] + server_pids, window)
    time.sleep(window)
    wall = time.monotonic() - wall0
    after = thread_stats([client.pid] + server_pids)
    idle1, all1 = machine_idle()
    if client.poll() is not None:
        return None
    counts = perf_counts(perf) if perf else None
    rows, rest, syscalls = [], {}, {"client": 0, "server": 0}
    for key in sorted(after, key=lambda k: (k[0] != client.pid, k)):
        side = "client" if key[0] == client.pid else "server"
        if counts:
            syscalls[side] += counts.get(key[1], 0)
        if key not in before:
            continue
        comm, ticks, wait_ns, nvcsw = after[key]
        _, ticks0, wait0, nvcsw0 = before[key]
        row = [(ticks - ticks0) / TICKS / wall, (wait_ns - wait0) / 1e6 / wall, (nvcsw - nvcsw0) / wall]
        if row[0] >= 0.05 or side == "client":  # the client has few threads: each is listed, busy or starved
            rows.append((side, f"{comm}[{key[1]}]", *row))
        else:  # idle or nearly (nginx's master, Varnish's hundreds of pool threads): summed up
            total = rest.setdefault(side, [0, 0.0, 0.0, 0.0])
            total[0] += 1
            for i in range(3):
                total[i + 1] += row[i]
    for side, (n, *row) in rest.items():
        if row[0] >= 0.005 or row[1] >= 1:
            rows.append((side, f"{n} other thread(s) together", *row))
    # perf's own window starts a little after the /proc one (its start-up), so it is about
    # `window` long, not `wall`.
    per_s = {side: n / window for side, n in syscalls.items()} if counts else None
    return {"wall": wall, "idle": (idle1 - idle0) / max(1, all1 - all0), "rows": rows,
            "syscalls_per_s": per_s}


def print_threads(seen, rps):
    """What watch_threads saw, per second and (syscalls) per response at the run's rps."""
    if seen is None:
        print("threads: no figures: the run was under 4 s, or it ended before the window did",
              file=sys.stderr)
        return
    print(f"threads: {seen['wall']:.1f} s window, machine idle {seen['idle']:.1%} of "
          f"{os.cpu_count()} cores", file=sys.stderr)
    for side, name, busy, wait_ms, preempted in seen["rows"]:
        print(f"threads: {side} {name}: {busy:.2f} cores, runnable but waiting for a CPU "
              f"{wait_ms:.0f} ms/s, preempted {preempted:.0f}/s", file=sys.stderr)
    if seen["syscalls_per_s"] and rps > 0:
        print(f"threads: syscalls per response: server {seen['syscalls_per_s']['server'] / rps:.2f}, "
              f"client {seen['syscalls_per_s']['client'] / rps:.2f} (perf stat --per-thread)",
              file=sys.stderr)


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


def run_lean(client, url, threads, conns, seconds, body, rate, watch_pid=None):
    """The lean client's key=value line -> the same tuple + late sends; raises ValueError."""
    cmd = ([client, "-t", threads, "-c", conns, "-d", seconds] + (["-s", body] if body else []) +
           (["-R", rate] if rate else []) + [url])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The client's output is small (two lines), so it cannot block on a full pipe meanwhile.
    seen = watch_threads(proc, watch_pid, seconds) if watch_pid else None
    out, err = proc.communicate()
    text = out + err
    if proc.returncode != 0:
        raise ValueError(f"{os.path.basename(client)} exited {proc.returncode}", text)
    try:
        kv = dict(item.split("=", 1) for item in out.split())
        result = (int(kv["requests"]), float(kv["rps"]), float(kv["p50_ms"]), float(kv["p99_ms"]),
                  int(kv["errors"]) + int(kv["non2xx"]), int(kv.get("late_sends", 0)))
    except (KeyError, ValueError):
        raise ValueError("unparsable output", text)
    if watch_pid:
        print_threads(seen, result[1])
    return result


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
            watch = server_pid if os.environ.get("HIT_PATH_THREADS") == "1" else None
            count, rps, p50, p99, bad, late = run_lean(client, url, threads, conns, seconds, body, rate,
                                                       watch)
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
