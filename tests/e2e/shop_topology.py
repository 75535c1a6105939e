"""The shop topology (configs/shop.yaml and configs/shop/) copied to a scratch folder with its
addresses moved to a random 127.0.X.0 range of their own, so the test never meets another run
of the default addresses on a shared machine.

Two shop tests run side by side under `ctest -j`: each claims its block with a lock file it
holds until the test process exits (a random pick alone collided one run in ~50), and a block
whose addresses something else already listens on is skipped."""
import fcntl
import os
import random
import re
import shutil
import socket
import tempfile

from harness import SOURCE

_claimed = []  # lock files of the blocks this process holds; closed (released) at exit


def _free(address):
    host, port = address.rsplit(":", 1)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            s.bind((host, int(port)))
            return True
        except OSError:
            return False


def _addresses(base):
    return {
        "router": f"127.0.{base}.1:8000",
        "origin": f"127.0.{base + 1}.1:9000",
        "shield": f"127.0.{base + 2}.1:8080",
        "fra": f"127.0.{base + 2}.2:8080",
        "fra_admin": f"127.0.{base + 2}.2:9080",
        "shield_admin": f"127.0.{base + 2}.1:9080",
        "store": f"127.0.{base + 3}.1:8000",
        "lambda": f"127.0.{base + 3}.2:9001",
        "gateway": f"127.0.{base + 3}.3:4010",
    }


def _claim_block():
    """A block base (127.0.base.0 .. 127.0.base+3.0) no other test holds and nothing listens in."""
    bases = list(range(50, 240, 4))
    random.shuffle(bases)
    for base in bases:
        lock = open(os.path.join(tempfile.gettempdir(), f"cdnlab-e2e-block-{base}.lock"), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        if all(_free(a) for a in _addresses(base).values()):
            _claimed.append(lock)
            return base
        lock.close()
    raise RuntimeError("no free 127.0.X.0 block for the shop topology")


def make_shop(folder, latency=False):
    """Writes <folder>/shop.yaml and <folder>/shop/; returns (topology path, address map)."""
    shutil.copytree(os.path.join(SOURCE, "configs", "shop"), os.path.join(folder, "shop"))
    with open(os.path.join(SOURCE, "configs", "shop.yaml")) as f:
        text = f.read()
    # The default uses 127.0.1.x (router) .. 127.0.4.x (application tier): give each its own
    # third octet in a random block of four.
    base = _claim_block()
    text = re.sub(r"127\.0\.([1-4])\.", lambda m: f"127.0.{base + int(m.group(1)) - 1}.", text)
    if not latency:
        text = text.replace("latency:\n  enabled: true", "latency:\n  enabled: false", 1)
    path = os.path.join(folder, "shop.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path, _addresses(base)
