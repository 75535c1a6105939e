"""Fakes the gateway's end-to-end tests talk to: a Lambda Invoke API (POST
/2015-03-31/functions/NAME/invocations) whose functions are small Python callables, an HTTP
upstream that echoes what it got, and a server of JSON documents (JWKS, OpenID configuration).
All run in threads on ephemeral loopback ports."""
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _fn_echo(event):
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps(event)}


FUNCTIONS = {
    "echo": _fn_echo,
    "plain": lambda e: {"message": "hi"},
    "text": lambda e: "Hello from Lambda!",
    "cookies": lambda e: {"statusCode": 201, "cookies": ["a=1; Path=/", "b=2"], "headers": {"x-fn": "yes"}, "body": "made"},
    "b64": lambda e: {"statusCode": 200, "headers": {"content-type": "application/octet-stream"},
                      "body": base64.b64encode(b"\x00\x01binary").decode(), "isBase64Encoded": True},
    "malformed": lambda e: {"statusCode": "abc", "body": 5},
    "v1-missing-status": lambda e: {"body": "no status"},
}


class FakeLambda:
    """Answers the Lambda Invoke API. `error` raises (X-Amz-Function-Error: Unhandled), `slow`
    answers after `slow_seconds`; unknown names get ResourceNotFoundException (404)."""

    def __init__(self, slow_seconds=1.5):
        self.invocations = []
        outer = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(n)
                parts = self.path.split("?")[0].split("/")
                # /2015-03-31/functions/NAME/invocations
                if len(parts) != 5 or parts[1] != "2015-03-31" or parts[2] != "functions" or parts[4] != "invocations":
                    return self._send(404, {"message": "unknown path"}, {"x-amzn-ErrorType": "UnknownOperationException"})
                name = parts[3]
                event = json.loads(raw)
                outer.invocations.append((name, self.path, event))
                if name == "error":
                    return self._send(200, {"errorMessage": "boom", "errorType": "Error"}, {"X-Amz-Function-Error": "Unhandled"})
                if name == "slow":
                    time.sleep(slow_seconds)
                    return self._send(200, {"statusCode": 200, "body": "late"})
                fn = FUNCTIONS.get(name)
                if fn is None:
                    return self._send(404, {"Type": "User", "message": "Function not found: " + name},
                                      {"x-amzn-ErrorType": "ResourceNotFoundException"})
                self._send(200, fn(event))

            def _send(self, status, obj, headers=None):
                body = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the gateway gave up first (integration timeout): expected for `slow`

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class EchoUpstream:
    """An HTTP upstream answering every request with JSON {method, path, headers, body}."""

    def __init__(self):
        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _any(self):
                n = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(n).decode(errors="replace")
                out = json.dumps({"method": self.command, "path": self.path,
                                  "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("x-upstream", "echo")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class JsonDocuments(ThreadingHTTPServer):
    """Serves JSON documents by path - `document(path)` returns what to send, or None for a 404 - and
    counts the GETs of each path: a stand-in for an OpenID issuer or for cognito-idp's key sets."""

    def __init__(self, document):
        self.document = document
        self.hits = {}
        self.lock = threading.Lock()
        server = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                with server.lock:
                    server.hits[self.path] = server.hits.get(self.path, 0) + 1
                doc = server.document(self.path)
                body = json.dumps(doc).encode() if doc is not None else b""
                self.send_response(200 if doc is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(("127.0.0.1", 0), H)
        self.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def count(self, path):
        with self.lock:
            return self.hits.get(path, 0)

    def close(self):
        self.shutdown()
        self.server_close()

