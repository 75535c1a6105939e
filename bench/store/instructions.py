#!/usr/bin/python3
"""Instructions per store request, by callgrind: what the machine's load does not move.

For each binary: `cdnlab store --in-memory --workers 1` under valgrind's callgrind with
instrumentation off, 200 YCSB-like items (ten 100-byte fields) put and read once to warm up, then
instrumentation on for N requests of one kind (GetItem, UpdateItem of one field, PutItem of a
whole item, or the GET / health line), dumped and divided by N; INSTR_KINDS=get,update,put,health
picks the kinds. Side by side for an OLD and a NEW build:

  /usr/bin/python3 bench/store/instructions.py OLD_BIN NEW_BIN [N]

Prints one line per binary and request kind; the callgrind files stay in $PROFILE_DIR (default a
temporary directory) for `callgrind_annotate --inclusive=yes FILE`. Valgrind runs the store ~50x
slower, so N defaults to 500.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile

KINDS = os.environ.get("INSTR_KINDS", "get,update,put,health").split(",")
ITEMS = 200


def item(i):
    return {"ycsb_key": {"S": f"user{i}"}, **{f"field{j}": {"S": "x" * 100} for j in range(10)}}


class Store:
    def __init__(self, binary, out_file):
        self.proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", "--instr-atstart=no",
             binary, "store", "--listen", "127.0.0.1:0", "--in-memory", "--workers", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        port = None
        for line in self.proc.stdout:  # ends when the process exits: no unbounded wait
            m = re.match(r"listening http http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            raise RuntimeError(f"{binary} store did not start")
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, op, body):
        self.conn.request("POST", "/", json.dumps(body), {"Content-Type": "application/x-amz-json-1.0",
                                                          "X-Amz-Target": "DynamoDB_20120810." + op})
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"{op}: {r.status} {data[:200]!r}")

    def health(self):
        self.conn.request("GET", "/")
        self.conn.getresponse().read()

    def callgrind(self, *args):
        subprocess.run(["callgrind_control", *args, str(self.proc.pid)], capture_output=True, timeout=120)

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(timeout=120)


def measure(tag, binary, kind, n, out_dir):
    out = os.path.join(out_dir, f"{tag}-{kind}.callgrind")
    store = Store(binary, out)
    try:
        store.call("CreateTable", {"TableName": "usertable", "BillingMode": "PAY_PER_REQUEST",
                                   "AttributeDefinitions": [{"AttributeName": "ycsb_key", "AttributeType": "S"}],
                                   "KeySchema": [{"AttributeName": "ycsb_key", "KeyType": "HASH"}]})
        for i in range(ITEMS):
            store.call("PutItem", {"TableName": "usertable", "Item": item(i)})
        for i in range(ITEMS):
            store.call("GetItem", {"TableName": "usertable", "Key": {"ycsb_key": {"S": f"user{i}"}}})
        store.callgrind("-i", "on")
        for k in range(n):
            key = {"ycsb_key": {"S": f"user{k % ITEMS}"}}
            if kind == "get":
                store.call("GetItem", {"TableName": "usertable", "Key": key})
            elif kind == "put":
                store.call("PutItem", {"TableName": "usertable", "Item": item(k % ITEMS)})
            elif kind == "update":
                store.call("UpdateItem", {"TableName": "usertable", "Key": key, "UpdateExpression": "SET field3 = :v",
                                          "ExpressionAttributeValues": {":v": {"S": "y" * 100}}})
            else:
                store.health()
        store.callgrind("-i", "off")
        store.callgrind("-d")
    finally:
        store.stop()
    # The dump callgrind_control asked for is the file with the ".1" suffix (part 1).
    text = subprocess.run(["callgrind_annotate", out + ".1"], capture_output=True, text=True, timeout=300).stdout
    m = re.search(r"^([\d,]+) .*PROGRAM TOTALS", text, re.M)
    return int(m.group(1).replace(",", "")) / n if m else float("nan")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    old, new = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    out_dir = os.environ.get("PROFILE_DIR") or tempfile.mkdtemp(prefix="cdnlab-store-instr-")
    for kind in KINDS:
        a = measure("old", old, kind, n, out_dir)
        b = measure("new", new, kind, n, out_dir)
        print(f"{kind:7s} OLD {a:9,.0f}  NEW {b:9,.0f} instructions per request ({(b - a) / a:+.1%})", flush=True)
    print(f"callgrind files: {out_dir}")


if __name__ == "__main__":
    main()
