"""A real browser for end-to-end tests: Debian's headless Chromium driven over the DevTools
protocol (Python `websockets`, Debian's python3-websockets). A test opens a page, waits until
a JavaScript condition holds, reads values out of the page, and gets every error the page
logged (uncaught exceptions, console.error, failed loads).

    with Browser() as b:
        page = b.open(url, until="document.body.dataset.polls >= 2", timeout=15)
        page.value("document.querySelectorAll('circle.pt').length")
        page.errors  # [] when the page logged no error
"""
import asyncio
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websockets

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class Page:
    def __init__(self, values, errors):
        self._values = values
        self.errors = errors

    def value(self, expression):
        return self._values[expression]


class Browser:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="cdnlab-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
             f"--user-data-dir={self.dir}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 30
        self.endpoint = None
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            m = re.search(r"DevTools listening on ws://([0-9.]+:\d+)/", line)
            if m:
                self.endpoint = m.group(1)
                break
        if not self.endpoint:
            self.close()
            raise RuntimeError("chromium did not start its DevTools listener")

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def open(self, url, until="document.readyState === 'complete'", read=(), timeout=20):
        """Loads url in a new tab, waits until `until` is true (or raises after timeout), then
        evaluates each expression of `read`. Returns a Page."""
        req = urllib.request.Request(f"http://{self.endpoint}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(req, timeout=10) as r:
            target = json.load(r)
        try:
            return asyncio.run(self._drive(target["webSocketDebuggerUrl"], url, until, read, timeout))
        finally:
            urllib.request.urlopen(f"http://{self.endpoint}/json/close/{target['id']}", timeout=10).read()

    async def _drive(self, ws_url, url, until, read, timeout):
        ids = itertools.count(1)
        errors = []
        async with websockets.connect(ws_url, max_size=64 << 20) as ws:
            pending = {}

            async def call(method, **params):
                i = next(ids)
                fut = asyncio.get_running_loop().create_future()
                pending[i] = fut
                await ws.send(json.dumps({"id": i, "method": method, "params": params}))
                return await asyncio.wait_for(fut, timeout)

            async def reader():
                async for raw in ws:
                    msg = json.loads(raw)
                    if "id" in msg and msg["id"] in pending:
                        pending.pop(msg["id"]).set_result(msg)
                    elif msg.get("method") == "Runtime.exceptionThrown":
                        d = msg["params"]["exceptionDetails"]
                        errors.append(d.get("exception", {}).get("description") or d.get("text"))
                    elif msg.get("method") == "Runtime.consoleAPICalled" and msg["params"]["type"] in ("error", "assert"):
                        errors.append(" ".join(str(a.get("value", a.get("description"))) for a in msg["params"]["args"]))
                    elif msg.get("method") == "Log.entryAdded" and msg["params"]["entry"]["level"] == "error":
                        errors.append(msg["params"]["entry"].get("text"))

            task = asyncio.create_task(reader())
            try:
                for domain in ("Runtime", "Log", "Page"):
                    await call(f"{domain}.enable")
                await call("Page.navigate", url=url)

                async def evaluate(expression):
                    r = await call("Runtime.evaluate", expression=expression, returnByValue=True)
                    result = r.get("result", {})
                    if "exceptionDetails" in result:
                        raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
                    return result.get("result", {}).get("value")

                deadline = time.monotonic() + timeout
                while True:
                    try:
                        if await evaluate(f"!!({until})"):
                            break
                    except RuntimeError:
                        pass  # the page is still loading
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{url}: `{until}` still false after {timeout}s; errors: {errors}")
                    await asyncio.sleep(0.2)
                values = {e: await evaluate(e) for e in read}
            finally:
                task.cancel()
        return Page(values, errors)


def browser_for(stack):
    """A Browser for a test class whose topology `stack` (RunningTopology) already runs. When
    Chromium cannot start, the stack is closed before the error goes up: a failing setUpClass
    never reaches tearDownClass."""
    try:
        return Browser()
    except BaseException:
        stack.close()
        raise
