"""WebSocket APIs end to end: aws-cli / boto3 create a WEBSOCKET API whose routes ($connect,
$disconnect, a custom "sendmessage" and a two-way $default) are Node.js functions on the real
`cdnlab lambda`; Python's `websockets` client connects (or is refused by $connect), messages are
routed by $request.body.action, a function pushes back through @connections with the AWS SDK's
ApiGatewayManagementApiClient, $disconnect is delivered, and @connections answers 410 GoneException
once the connection is gone. Hostile frames (unmasked, oversized) close only their own connection."""
import asyncio
import base64
import http.server
import json
import os
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from lambda_util import ROLE, client, make_zip  # noqa: E402
from gateway_e2e_base import ARN, aws, gateway_client  # noqa: E402
from test_clients import npm_ci  # noqa: E402  (the SDK the functions require is in tests/clients/js)

import websockets  # noqa: E402
import websockets.exceptions  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

JS_MODULES = os.path.join(os.path.dirname(__file__), "..", "clients", "js", "node_modules")

FUNCTIONS = """
const http = require("http");
const { ApiGatewayManagementApiClient, PostToConnectionCommand, GetConnectionCommand } =
  require("@aws-sdk/client-apigatewaymanagementapi");
const mgmt = () => new ApiGatewayManagementApiClient({ endpoint: process.env.WS_ENDPOINT, region: "us-east-1",
  credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } });
const record = (event) => new Promise((resolve, reject) => {
  const req = http.request(process.env.RECORDER, { method: "POST", headers: { "content-type": "application/json" } },
    (res) => { res.resume(); res.on("end", resolve); });
  req.on("error", reject);
  req.end(JSON.stringify(event));
});
exports.connect = async (event) => {
  await record(event);
  if ((event.queryStringParameters || {}).deny) return { statusCode: 403, body: "go away" };
  return { statusCode: 200 };
};
exports.disconnect = async (event) => { await record(event); return { statusCode: 200 }; };
// "sendmessage": answer through @connections, not through the route.
exports.send = async (event) => {
  const id = event.requestContext.connectionId;
  const info = await mgmt().send(new GetConnectionCommand({ ConnectionId: id }));
  const data = JSON.parse(event.body).data;
  await mgmt().send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.stringify({
    pushed: data, connectionId: id, routeKey: event.requestContext.routeKey, eventType: event.requestContext.eventType,
    messageId: event.requestContext.messageId, sourceIp: info.Identity.SourceIp, hasConnectedAt: !!info.ConnectedAt }) }));
  return { statusCode: 200 };
};
// $default, two-way: the body goes back to the client.
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify({ echo: event.body,
  routeKey: event.requestContext.routeKey, stage: event.requestContext.stage, apiId: event.requestContext.apiId }) });
"""


class Recorder(http.server.ThreadingHTTPServer):
    """Collects the events the $connect / $disconnect functions POST to it."""

    def __init__(self):
        self.events = []
        self.cond = threading.Condition()
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with rec.cond:
                    rec.events.append(json.loads(body))
                    rec.cond.notify_all()
                self.send_response(204)
                self.end_headers()

        super().__init__(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def wait_for(self, pred, timeout=20):
        with self.cond:
            ok = self.cond.wait_for(lambda: any(pred(e) for e in self.events), timeout)
            return next(e for e in self.events if pred(e)) if ok else None


def raw_handshake(addr, path):
    s = socket.create_connection(addr, timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {addr[0]}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            break
        head += chunk
    return s, head


def read_until_closed(s, limit=1 << 20):
    """What the server sent until it closed (True), or until 10 s of silence (False)."""
    data = b""
    try:
        while len(data) < limit:
            chunk = s.recv(65536)
            if not chunk:
                return data, True
            data += chunk
    except ConnectionResetError:
        return data, True
    except socket.timeout:
        return data, False
    return data, False


class WebSocketApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        npm_ci()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.recorder = Recorder()
        cls.lam = Proc(["lambda", "--listen", "127.0.0.1:0", "--in-memory"],
                       env=dict(os.environ, NODE_PATH=os.path.abspath(JS_MODULES)))
        cls.lc = client(cls.lam)
        cls.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(cls.tmp.name, "gw"),
                       "--lambda-endpoint", cls.lam.url(), "--workers", "2"])
        cls.ep = ["--endpoint-url", cls.gw.url()]
        created = json.loads(aws("apigatewayv2", "create-api", "--name", "chat", "--protocol-type", "WEBSOCKET",
                                 "--route-selection-expression", "$request.body.action", *cls.ep).stdout)
        cls.api = created["ApiId"]
        assert created["ProtocolType"] == "WEBSOCKET" and created["RouteSelectionExpression"] == "$request.body.action"
        cls.base = f"/_api/{cls.api}/prod"
        code = make_zip({"index.js": FUNCTIONS})
        env = {"Variables": {"WS_ENDPOINT": cls.gw.url() + cls.base, "RECORDER": cls.recorder.url}}
        for fn in ("connect", "disconnect", "send", "echo"):
            cls.lc.create_function(FunctionName=fn, Runtime="nodejs20.x", Role=ROLE, Handler=f"index.{fn}",
                                   Code={"ZipFile": code}, Timeout=15, Environment=env)
        cls.boto = gateway_client("apigatewayv2", cls.gw.url())
        for key, fn in (("$connect", "connect"), ("$disconnect", "disconnect"), ("sendmessage", "send"),
                        ("$default", "echo")):
            integ = cls.boto.create_integration(ApiId=cls.api, IntegrationType="AWS_PROXY", IntegrationUri=ARN + fn)
            extra = {"RouteResponseSelectionExpression": "$default"} if key == "$default" else {}
            cls.boto.create_route(ApiId=cls.api, RouteKey=key, Target="integrations/" + integ["IntegrationId"], **extra)
        cls.boto.create_stage(ApiId=cls.api, StageName="prod", AutoDeploy=True)
        cls.mgmt = gateway_client("apigatewaymanagementapi", cls.gw.url() + cls.base)

    @classmethod
    def tearDownClass(cls):
        for c in (cls.boto, cls.mgmt, cls.lc):
            c.close()
        cls.gw.stop()
        cls.lam.stop()
        cls.recorder.shutdown()
        cls.recorder.server_close()
        cls.tmp.cleanup()

    def url(self, query=""):
        host, port = self.gw.addr["http"]
        return f"ws://{host}:{port}{self.base}{query}"

    def run_async(self, coro):
        return asyncio.run(asyncio.wait_for(coro, 60))

    def test_connect_route_push_default_disconnect_and_gone(self):
        async def scenario():
            async with websockets.connect(self.url("?user=ann"), user_agent_header="ws-test") as ws:
                await ws.send(json.dumps({"action": "sendmessage", "data": "hello"}))
                pushed = json.loads(await ws.recv())
                await ws.send(json.dumps({"action": "nothing-like-this", "n": 1}))
                echoed = json.loads(await ws.recv())
                await ws.send("not json at all")
                echoed_text = json.loads(await ws.recv())
                return pushed, echoed, echoed_text
        pushed, echoed, echoed_text = self.run_async(scenario())
        self.assertEqual((pushed["pushed"], pushed["routeKey"], pushed["eventType"]), ("hello", "sendmessage", "MESSAGE"))
        self.assertEqual(pushed["sourceIp"], "127.0.0.1")
        self.assertTrue(pushed["hasConnectedAt"] and pushed["messageId"])
        self.assertEqual((echoed["routeKey"], echoed["stage"], echoed["apiId"]), ("$default", "prod", self.api))
        self.assertEqual(json.loads(echoed["echo"]), {"action": "nothing-like-this", "n": 1})
        self.assertEqual(echoed_text["echo"], "not json at all")
        connect = self.recorder.wait_for(lambda e: e["requestContext"]["eventType"] == "CONNECT"
                                         and e.get("queryStringParameters", {}).get("user") == "ann")
        self.assertIsNotNone(connect)
        rc = connect["requestContext"]
        self.assertEqual((rc["routeKey"], rc["stage"], rc["apiId"]), ("$connect", "prod", self.api))
        self.assertEqual(rc["identity"]["userAgent"], "ws-test")
        cid = rc["connectionId"]
        gone = self.recorder.wait_for(lambda e: e["requestContext"]["eventType"] == "DISCONNECT"
                                      and e["requestContext"]["connectionId"] == cid)
        self.assertIsNotNone(gone, "no $disconnect event")
        self.assertEqual(gone["requestContext"]["routeKey"], "$disconnect")
        self.assertEqual(gone["requestContext"]["connectedAt"], rc["connectedAt"])
        for call in (lambda: self.mgmt.post_to_connection(ConnectionId=cid, Data=b"late"),
                     lambda: self.mgmt.get_connection(ConnectionId=cid),
                     lambda: self.mgmt.delete_connection(ConnectionId=cid)):
            with self.assertRaises(ClientError) as e:
                call()
            self.assertEqual(e.exception.response["Error"]["Code"], "GoneException")
            self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 410)

    def test_connect_refused_by_function(self):
        async def scenario():
            with self.assertRaises(websockets.exceptions.InvalidStatusCode) as e:
                async with websockets.connect(self.url("?deny=1")):
                    pass
            return e.exception.status_code
        self.assertEqual(self.run_async(scenario()), 403)

    def test_management_api_from_outside(self):
        async def scenario():
            async with websockets.connect(self.url()) as ws:
                await ws.send(json.dumps({"action": "sendmessage", "data": "x"}))
                msg = json.loads(await ws.recv())
                self.assertEqual(msg["pushed"], "x")
                cid = msg["connectionId"]
                await asyncio.to_thread(self.mgmt.post_to_connection, ConnectionId=cid, Data=b"from boto3")
                self.assertEqual(await ws.recv(), "from boto3")
                info = await asyncio.to_thread(self.mgmt.get_connection, ConnectionId=cid)
                self.assertEqual(info["Identity"]["SourceIp"], "127.0.0.1")
                await asyncio.to_thread(self.mgmt.delete_connection, ConnectionId=cid)
                with self.assertRaises(websockets.exceptions.ConnectionClosed):
                    await ws.recv()
                return ws.close_code
        self.assertEqual(self.run_async(scenario()), 1000)
        with self.assertRaises(ClientError) as e:
            self.mgmt.post_to_connection(ConnectionId="NoSuchConnection=", Data=b"x")
        self.assertEqual(e.exception.response["Error"]["Code"], "GoneException")

    def test_hostile_frames_close_only_that_connection(self):
        addr = tuple(self.gw.addr["http"])
        # An unmasked client frame violates RFC 6455 5.1: the server closes that connection.
        s, head = raw_handshake(addr, self.base)
        self.assertTrue(head.startswith(b"HTTP/1.1 101"), head)
        s.sendall(b"\x81\x05hello")
        data, closed = read_until_closed(s)
        self.assertTrue(closed)
        if data:  # our close frame, when it got out before the socket went: 1002
            self.assertEqual((data[0], int.from_bytes(data[2:4], "big")), (0x88, 1002))
        s.close()
        # A frame over 32 KB: close 1009.
        s, head = raw_handshake(addr, self.base)
        self.assertTrue(head.startswith(b"HTTP/1.1 101"), head)
        n = 40 * 1024
        s.sendall(b"\x81\xfe" + n.to_bytes(2, "big") + b"\x00\x00\x00\x00" + b"a" * n)
        data, closed = read_until_closed(s)
        self.assertTrue(closed)
        self.assertEqual((data[0], int.from_bytes(data[2:4], "big")), (0x88, 1009))  # close, 1009
        s.close()
        # A bad handshake is a plain HTTP error; a plain GET is 426.
        s = socket.create_connection(addr, timeout=10)
        s.sendall(f"GET {self.base} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Version: 8\r\n\r\n".encode())
        self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 400"))
        s.close()
        # Others are unaffected.
        async def still_fine():
            async with websockets.connect(self.url()) as ws:
                await ws.send(json.dumps({"hello": 1}))
                return json.loads(await ws.recv())["routeKey"]
        self.assertEqual(self.run_async(still_fine()), "$default")


if __name__ == "__main__":
    unittest.main()
