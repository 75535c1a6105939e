"""wss:// to a WebSocket API, as docs/gateway.md sets it up: the gateway serves plain ws:// and
Debian's nginx terminates TLS in front of it (a self-signed certificate made with the openssl
CLI). Python's `websockets` connects with wss:// and verifies the certificate, its messages take
the API's routes, and a push through @connections over https (boto3 verifying the same
certificate) arrives on the TLS connection."""
import asyncio
import json
import os
import socket
import ssl
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
from botocore.config import Config  # noqa: E402

gateway_fakes.FUNCTIONS["wss-echo"] = lambda e: {"statusCode": 200, "body": json.dumps({
    "body": e.get("body"), "connectionId": e["requestContext"]["connectionId"]})}
CREDS = dict(region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
             config=Config(retries={"max_attempts": 1}))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"nginx exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not listen")


NGINX_CONF = """daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp;
  proxy_temp_path {d}/tmp;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {d}/cert.pem;
    ssl_certificate_key {d}/key.pem;
    location / {{
      proxy_pass http://{gw};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 7200s;
    }}
  }}
}}
"""


class WssThroughTlsTerminator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        os.makedirs(os.path.join(d, "tmp"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-keyout", os.path.join(d, "key.pem"), "-out", os.path.join(d, "cert.pem"),
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                       check=True, capture_output=True)
        cls.fake = gateway_fakes.FakeLambda()
        cls.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(d, "gw"),
                       "--lambda-endpoint", cls.fake.url])
        c = boto3.session.Session().client("apigatewayv2", endpoint_url=cls.gw.url(), **CREDS)
        api = c.create_api(Name="tls", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
        integ = c.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=ARN + "wss-echo")
        c.create_route(ApiId=api, RouteKey="$default", Target="integrations/" + integ["IntegrationId"],
                       RouteResponseSelectionExpression="$default")
        c.create_stage(ApiId=api, StageName="prod", AutoDeploy=True)
        c.close()
        cls.path = f"/_api/{api}/prod"
        cls.port = free_port()
        host, gport = cls.gw.addr["http"]
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(d=d, port=cls.port, gw=f"{host}:{gport}"))
        cls.nginx = subprocess.Popen(["nginx", "-c", os.path.join(d, "nginx.conf"), "-p", d],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(cls.port, cls.nginx)
        cls.tls = ssl.create_default_context(cafile=os.path.join(d, "cert.pem"))

    @classmethod
    def tearDownClass(cls):
        cls.nginx.terminate()
        cls.nginx.wait(10)
        cls.gw.stop()
        cls.fake.close()
        cls.tmp.cleanup()

    def test_wss_messages_and_push(self):
        mgmt = boto3.session.Session().client(
            "apigatewaymanagementapi", endpoint_url=f"https://127.0.0.1:{self.port}{self.path}",
            verify=os.path.join(self.tmp.name, "cert.pem"), **CREDS)

        async def scenario():
            async with websockets.connect(f"wss://127.0.0.1:{self.port}{self.path}", ssl=self.tls) as ws:
                tls_version = ws.transport.get_extra_info("ssl_object").version()
                await ws.send(json.dumps({"hello": "tls"}))
                echoed = json.loads(await ws.recv())
                await asyncio.to_thread(mgmt.post_to_connection, ConnectionId=echoed["connectionId"], Data=b"pushed")
                return tls_version, echoed, await ws.recv()

        try:
            tls_version, echoed, pushed = asyncio.run(asyncio.wait_for(scenario(), 60))
        finally:
            mgmt.close()
        self.assertIn(tls_version, ("TLSv1.2", "TLSv1.3"))
        self.assertEqual(json.loads(echoed["body"]), {"hello": "tls"})
        self.assertEqual(pushed, "pushed")

    def test_untrusted_certificate_is_refused(self):
        async def scenario():
            async with websockets.connect(f"wss://127.0.0.1:{self.port}{self.path}", ssl=ssl.create_default_context()):
                pass
        with self.assertRaises(ssl.SSLCertVerificationError):
            asyncio.run(asyncio.wait_for(scenario(), 30))


if __name__ == "__main__":
    unittest.main()
