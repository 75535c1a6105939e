"""The shop topology (configs/shop.yaml and configs/shop/) copied to a scratch folder with its
addresses moved to a random 127.0.X.0 range of their own, so the test never meets another run
of the default addresses on a shared machine."""
import os
import random
import re
import shutil

from harness import SOURCE


def make_shop(folder, latency=False):
    """Writes <folder>/shop.yaml and <folder>/shop/; returns (topology path, address map)."""
    shutil.copytree(os.path.join(SOURCE, "configs", "shop"), os.path.join(folder, "shop"))
    with open(os.path.join(SOURCE, "configs", "shop.yaml")) as f:
        text = f.read()
    # The default uses 127.0.1.x (router) .. 127.0.4.x (application tier): give each its own
    # third octet in a random block of four.
    base = random.randrange(50, 240, 4)
    text = re.sub(r"127\.0\.([1-4])\.", lambda m: f"127.0.{base + int(m.group(1)) - 1}.", text)
    if not latency:
        text = text.replace("latency:\n  enabled: true", "latency:\n  enabled: false", 1)
    path = os.path.join(folder, "shop.yaml")
    with open(path, "w") as f:
        f.write(text)
    addr = {
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
    return path, addr
