"""WebSocket APIs: binary data and AWS's limits, end to end with Python's `websockets` client.

- A binary frame from a client is refused with close 1003, as API Gateway does; other
  connections go on.
- @connections POST (boto3's ApiGatewayManagementApi) sends UTF-8 data as a text message and
  other bytes as a binary message.
- An integration with contentHandlingStrategy CONVERT_TO_BINARY gets the client's base64 text
  with isBase64Encoded true; text that is not base64 gets API Gateway's error message.
- --ws-max-frame / --ws-max-message: a frame or a (fragmented) message over the limit closes
  with 1009; @connections data over the message limit is 413 PayloadTooLargeException; a message
  the gateway sends that is longer than the frame limit arrives in frames within it (read off
  the wire by a raw client).
- --ws-idle / --ws-max-lifetime: the connection closes with 1001 and says which limit it was.

The functions are Python callables behind a fake Lambda Invoke API (gateway_fakes.py)."""
import asyncio
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from gateway_e2e_base import ARN  # noqa: E402
import gateway_fakes  # noqa: E402

import boto3  # noqa: E402
import websockets  # noqa: E402
import websockets.exceptions  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

# Two-way $default: tells the client what the function got.
gateway_fakes.FUNCTIONS["ws-echo"] = lambda e: {"statusCode": 200, "body": json.dumps({
    "body": e.get("body"), "isBase64Encoded": e.get("isBase64Encoded"),
    "connectionId": e["requestContext"]["connectionId"], "eventType": e["requestContext"]["eventType"]})}

CREDS = dict(region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
             config=Config(retries={"max_attempts": 1}))


def make_api(gw, name, strategy=None):
    """A WEBSOCKET API whose two-way $default route is ws-echo; its stage `prod` path."""
    c = boto3.session.Session().client("apigatewayv2", endpoint_url=gw.url(), **CREDS)
    api = c.create_api(Name=name, ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    extra = {"ContentHandlingStrategy": strategy} if strategy else {}
    integ = c.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=ARN + "ws-echo", **extra)
    if strategy:
        assert integ["ContentHandlingStrategy"] == strategy, integ
    c.create_route(ApiId=api, RouteKey="$default", Target="integrations/" + integ["IntegrationId"],
                   RouteResponseSelectionExpression="$default")
    c.create_stage(ApiId=api, StageName="prod", AutoDeploy=True)
    c.close()
    return f"/_api/{api}/prod"


def raw_connect(addr, path):
    """A hand-made client: the handshake, then frames exactly as they come off the socket."""
    s = socket.create_connection(addr, timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {addr[0]}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        assert chunk, "closed during the handshake"
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return s, rest


def send_text(s, text):
    data, mask = text.encode(), os.urandom(4)
    n = len(data)
    head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n))
    s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def read_frame(s, buf):
    """(fin, opcode, payload, rest of buf) of the next server frame."""
    def need(k):
        nonlocal buf
        while len(buf) < k:
            chunk = s.recv(65536)
            assert chunk, "closed mid-frame"
            buf += chunk
    need(2)
    fin, opcode, n = buf[0] >> 7, buf[0] & 0x0F, buf[1] & 0x7F
    assert not buf[1] & 0x80, "a server frame must not be masked"
    off = 2
    if n == 126:
        need(4)
        n, off = struct.unpack(">H", buf[2:4])[0], 4
    elif n == 127:
        need(10)
        n, off = struct.unpack(">Q", buf[2:10])[0], 10
    need(off + n)
    return fin, opcode, buf[off:off + n], buf[off + n:]


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


class WebSocketBinaryAndLimits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.fake = gateway_fakes.FakeLambda()
        cls.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(cls.tmp.name, "gw"),
                       "--lambda-endpoint", cls.fake.url, "--workers", "2",
                       "--ws-max-frame", "1024", "--ws-max-message", "4096"])
        cls.text_api = make_api(cls.gw, "text")
        cls.binary_api = make_api(cls.gw, "binary", "CONVERT_TO_BINARY")
        cls.mgmt = boto3.session.Session().client("apigatewaymanagementapi",
                                                  endpoint_url=cls.gw.url() + cls.text_api, **CREDS)

    @classmethod
    def tearDownClass(cls):
        cls.mgmt.close()
        cls.gw.stop()
        cls.fake.close()
        cls.tmp.cleanup()

    def ws_url(self, gw, path):
        host, port = gw.addr["http"]
        return f"ws://{host}:{port}{path}"

    async def echo(self, ws, text):
        await ws.send(text)
        return json.loads(await ws.recv())

    def test_binary_frame_is_refused_with_1003(self):
        async def scenario():
            async with websockets.connect(self.ws_url(self.gw, self.text_api)) as other:
                async with websockets.connect(self.ws_url(self.gw, self.text_api)) as ws:
                    await ws.send(b"\x00\x01\x02")
                    with self.assertRaises(websockets.exceptions.ConnectionClosed):
                        await ws.recv()
                    code = ws.close_code
                reply = await self.echo(other, "still here")
            return code, reply
        code, reply = run(scenario())
        self.assertEqual(code, 1003)
        self.assertEqual(reply["body"], "still here")

    def test_connections_post_sends_text_or_binary(self):
        async def scenario():
            async with websockets.connect(self.ws_url(self.gw, self.text_api)) as ws:
                cid = (await self.echo(ws, "hi"))["connectionId"]
                got = []
                for data in (b"plain text", "caf\u00e9 \u2603".encode(), b"\x00\xff\xfe\x80 raw"):
                    await asyncio.to_thread(self.mgmt.post_to_connection, ConnectionId=cid, Data=data)
                    got.append(await ws.recv())
                return got
        got = run(scenario())
        self.assertEqual(got, ["plain text", "caf\u00e9 \u2603", b"\x00\xff\xfe\x80 raw"])

    def test_convert_to_binary_passes_base64_marked(self):
        async def scenario():
            async with websockets.connect(self.ws_url(self.gw, self.binary_api)) as ws:
                good = await self.echo(ws, base64.b64encode(b"\x00\x01\xffbin").decode())
                bad = await self.echo(ws, "this is not base64!")
                return good, bad
        good, bad = run(scenario())
        self.assertEqual(base64.b64decode(good["body"]), b"\x00\x01\xffbin")
        self.assertIs(good["isBase64Encoded"], True)
        self.assertEqual(bad["message"], "Internal server error")
        self.assertTrue(bad["connectionId"] and bad["requestId"])

        async def text_api():
            async with websockets.connect(self.ws_url(self.gw, self.text_api)) as ws:
                return await self.echo(ws, "AAEC")
        self.assertIs(run(text_api())["isBase64Encoded"], False)

    def test_frame_and_message_limits(self):
        async def closed_with(send):
            async with websockets.connect(self.ws_url(self.gw, self.text_api), max_size=None) as ws:
                await send(ws)
                with self.assertRaises(websockets.exceptions.ConnectionClosed):
                    await ws.recv()
                return ws.close_code, ws.close_reason

        # One frame over --ws-max-frame (1024).
        code, _ = run(closed_with(lambda ws: ws.send("f" * 1500)))
        self.assertEqual(code, 1009)
        # Frames under the frame limit, a message over --ws-max-message (4096).
        code, _ = run(closed_with(lambda ws: ws.send(["m" * 1000] * 5)))
        self.assertEqual(code, 1009)

        async def within():
            async with websockets.connect(self.ws_url(self.gw, self.text_api), max_size=None) as ws:
                return await self.echo(ws, ["k" * 1000] * 3)
        self.assertEqual(run(within())["body"], "k" * 3000)

        async def post_too_long():
            async with websockets.connect(self.ws_url(self.gw, self.text_api)) as ws:
                cid = (await self.echo(ws, "hi"))["connectionId"]
                with self.assertRaises(ClientError) as e:
                    await asyncio.to_thread(self.mgmt.post_to_connection, ConnectionId=cid, Data=b"x" * 5000)
                await asyncio.to_thread(self.mgmt.post_to_connection, ConnectionId=cid, Data=b"y" * 4096)
                return e.exception.response, await ws.recv()
        resp, delivered = run(post_too_long())
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 413)
        self.assertEqual(resp["Error"]["Code"], "PayloadTooLargeException")
        self.assertEqual(delivered, "y" * 4096)

    def test_long_messages_go_out_in_frames_within_the_limit(self):
        s, buf = raw_connect(tuple(self.gw.addr["http"]), self.text_api)
        try:
            send_text(s, "who am I")
            fin, opcode, payload, buf = read_frame(s, buf)
            self.assertEqual((fin, opcode), (1, 1))
            cid = json.loads(payload)["connectionId"]
            for data in (b"z" * 4000, bytes(range(256)) * 12 + b"\xff"):  # text, then binary (not UTF-8)
                self.mgmt.post_to_connection(ConnectionId=cid, Data=data)
                frames = []
                while not frames or not frames[-1][0]:
                    fin, opcode, payload, buf = read_frame(s, buf)
                    frames.append((fin, opcode, payload))
                self.assertGreater(len(frames), 1)
                self.assertTrue(all(len(p) <= 1024 for _, _, p in frames), [len(p) for _, _, p in frames])
                self.assertEqual(frames[0][1], 1 if data[0] == ord("z") else 2)
                self.assertTrue(all(op == 0 for _, op, _ in frames[1:]))  # continuation frames
                self.assertEqual(b"".join(p for _, _, p in frames), data)
            self.mgmt.post_to_connection(ConnectionId=cid, Data=b"short")
            self.assertEqual(read_frame(s, buf)[:3], (1, 1, b"short"))
        finally:
            s.close()

    def test_limits_out_of_range_are_refused_at_start(self):
        for flag, value in (("--ws-idle", "0"), ("--ws-max-frame", "0"), ("--ws-max-message", "-5"),
                            ("--ws-max-lifetime", "99999999999")):
            r = subprocess.run([os.environ["CDNLAB_BIN"], "gateway", "--listen", "127.0.0.1:0", "--data", "",
                                flag, value], capture_output=True, text=True, timeout=30)
            self.assertNotEqual(r.returncode, 0, (flag, value))
            self.assertIn(flag, r.stderr + r.stdout, (flag, value))

    def test_idle_and_lifetime_limits(self):
        with Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(self.tmp.name, "gw-short"),
                   "--lambda-endpoint", self.fake.url, "--ws-idle", "1", "--ws-max-lifetime", "3"]) as gw:
            path = make_api(gw, "short")

            async def idle():
                async with websockets.connect(self.ws_url(gw, path)) as ws:
                    start = time.monotonic()
                    with self.assertRaises(websockets.exceptions.ConnectionClosed):
                        await ws.recv()
                    return ws.close_code, ws.close_reason, time.monotonic() - start

            async def busy():
                async with websockets.connect(self.ws_url(gw, path)) as ws:
                    start = time.monotonic()
                    replies = 0
                    try:
                        for i in range(200):  # a message every 0.25 s keeps it from being idle
                            await self.echo(ws, f"tick {i}")
                            replies += 1
                            await asyncio.sleep(0.25)
                    except websockets.exceptions.ConnectionClosed:
                        pass
                    return ws.close_code, ws.close_reason, time.monotonic() - start, replies

            code, reason, elapsed = run(idle())
            self.assertEqual((code, reason), (1001, "Going away: idle timeout"))
            self.assertGreaterEqual(elapsed, 0.9)
            code, reason, elapsed, replies = run(busy())
            self.assertEqual((code, reason), (1001, "Going away: maximum connection duration"))
            self.assertGreaterEqual(elapsed, 2.9)
            self.assertGreater(replies, 4)  # it outlived the idle limit by far


if __name__ == "__main__":
    unittest.main()
