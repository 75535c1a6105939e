"""A topology under `cdnlab up --detach` for one test class: a scratch folder with a private
XDG_RUNTIME_DIR (so its run directory and state never meet another run), the topology written
there, `up` run and its state file read for the PIDs; close() runs `down`, then stops any of
those PIDs still alive (only ours) and removes the folder.

Also the small topology most system tests share (an origin, a shield, two edge PoPs and the
router on 127.A.B.x addresses of their own) and the process helpers they need."""
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time

from harness import BIN


def alive(pid):
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def wait_gone(pids, timeout=10):
    """Waits (bounded) until none of `pids` is alive; returns those still alive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def state_file(xdg_dir, stem=None):
    """The state file of a run under XDG_RUNTIME_DIR `xdg_dir`: the run directory is
    <stem>-<hash of the topology file's full path>, or `default` for the embedded topology."""
    run = f"{stem}-*" if stem else "default"
    found = glob.glob(os.path.join(xdg_dir, "cdnlab", run, "state"))
    if len(found) != 1:
        raise RuntimeError(f"expected one state file for {run}, found {found}")
    return found[0]


def pids_of(state_file):
    """Component name -> PID from an `up` state file."""
    out = {}
    with open(state_file) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "component":
                out[parts[1]] = int(parts[3])
    return out


def small_topology_yaml(net, objects=200, service_ms=5, latency=False):
    """Origin in London, a shield in New York, edges in Frankfurt and Sydney, the router; one
    region per edge. `net` is the first three octets of the test's own addresses."""
    return f"""latency: {{enabled: {'true' if latency else 'false'}}}
router: {{address: {net}.1:8000, ttl: 5s, fallback_pop: fra}}
origin: {{city: London, lat: 51.5074, lon: -0.1278, address: {net}.5:9000}}
catalog:
  objects: {objects}
  size: {{distribution: fixed, value: 2KiB}}
  cache_control: [{{weight: 1, max_age: 1h}}]
  uncacheable: {{share: 0}}
  service_time: {{distribution: fixed, value: {service_ms}ms}}
pops:
  - {{id: shield, city: New York, lat: 40.7128, lon: -74.0060, address: {net}.2:8080, admin: {net}.2:9080, tier: shield, upstream: origin, capacity: 8MiB}}
  - {{id: fra, city: Frankfurt, lat: 50.1109, lon: 8.6821, address: {net}.3:8080, admin: {net}.3:9080, tier: edge, upstream: shield, capacity: 8MiB}}
  - {{id: syd, city: Sydney, lat: -33.8688, lon: 151.2093, address: {net}.4:8080, admin: {net}.4:9080, tier: edge, upstream: shield, capacity: 8MiB}}
regions:
  - {{name: berlin, city: Berlin, country: DE, lat: 52.52, lon: 13.405, block: 127.10.0.0/16, share: 1}}
  - {{name: sydney, city: Sydney, country: AU, lat: -33.8688, lon: 151.2093, block: 127.17.0.0/16, share: 1}}
"""


class RunningTopology:
    """`cdnlab up <topology> --detach <flags>` in a scratch folder. Either `yaml` (written to
    <folder>/<name>.yaml) or `write(folder)` (returns the topology path it wrote) says what runs;
    neither: the embedded default (`cdnlab up` with no file). `env` adds to the environment of up
    and down (e.g. a PATH without node)."""

    def __init__(self, prefix, name=None, yaml=None, write=None, flags=(), env=None, timeout=60):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=os.path.join(self.dir, "xdg"), **(env or {}))
        os.makedirs(self.env["XDG_RUNTIME_DIR"])
        self.pids = {}
        try:
            if write is not None:
                self.topo = write(self.dir)
            elif yaml is not None:
                self.topo = os.path.join(self.dir, f"{name}.yaml")
                with open(self.topo, "w") as f:
                    f.write(yaml)
            else:
                self.topo = None
            self.topo_args = [self.topo] if self.topo else []
            t0 = time.monotonic()
            r = subprocess.run([BIN, "up", *self.topo_args, "--detach", *flags], capture_output=True, text=True,
                               env=self.env, timeout=timeout)
            self.started = True
            self.up_seconds = time.monotonic() - t0
            self.up_ms = self.up_seconds * 1000
            self.up_output = r.stdout
            if r.returncode != 0:
                raise RuntimeError(f"cdnlab up failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
            stem = os.path.splitext(os.path.basename(self.topo))[0] if self.topo else None
            self.state = state_file(self.env["XDG_RUNTIME_DIR"], stem)
            self.run_dir = os.path.dirname(self.state)
            self.pids = pids_of(self.state)
        except BaseException:
            self.close()
            raise

    def cdnlab(self, *args, timeout=60):
        """Runs `cdnlab <args>` with this run's environment; returns the CompletedProcess."""
        return subprocess.run([BIN, *args], capture_output=True, text=True, env=self.env, timeout=timeout)

    def down(self):
        return self.cdnlab("down", *self.topo_args)

    def close(self):
        if getattr(self, "started", False):
            self.down()
        for pid in self.pids.values():  # belt and braces: only the PIDs this run started
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)
