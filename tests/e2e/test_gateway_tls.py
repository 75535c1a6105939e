"""TLS inside the gateway: `cdnlab gateway --tls-cert --tls-key` serves https:// and wss:// itself.
A CA and a server certificate for localhost, 127.0.0.1 and *.execute-api.localhost are made with
the openssl CLI at test time. aws-cli (--ca-bundle) and boto3 (verify=) deploy through the
management API over https; curl --cacert calls a REST API and an HTTP API by their invoke URLs;
python websockets talks to a WebSocket API over wss:// and boto3's ApiGatewayManagementApi pushes
to it over https. Plain HTTP and garbage on the TLS port are closed without an answer and the
gateway keeps serving; bad certificate flags are refused at start naming the file."""
import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, BIN  # noqa: E402
from gateway_e2e_base import ARN, AWS, ENV  # noqa: E402
import gateway_fakes  # noqa: E402

import boto3  # noqa: E402
import websockets  # noqa: E402
from botocore.config import Config  # noqa: E402

gateway_fakes.FUNCTIONS["tls-echo"] = lambda e: {"statusCode": 200, "body": json.dumps({
    "body": e.get("body"), "connectionId": e["requestContext"].get("connectionId"),
    "path": e.get("rawPath")})}
CREDS = dict(region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
             config=Config(retries={"max_attempts": 1}))

REST_API = """openapi: 3.0.1
info: {title: tls-rest, version: "1"}
paths:
  /ping:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '{"pong": "$context.stage"}'}
"""


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certs(d):
    """A CA, and a server certificate it signs (the CA bundle is what clients are given)."""
    ca_key, ca, key, csr, cert = (os.path.join(d, n) for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-keyout", ca_key, "-out", ca, "-subj", "/CN=cdnlab test CA")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    ext = os.path.join(d, "san.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,DNS:*.execute-api.localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", "1",
            "-extfile", ext, "-out", cert)
    return ca, cert, key


def curl(*args):
    return subprocess.run(["curl", "-sS", "--max-time", "20", *args], capture_output=True, text=True, timeout=30)


class GatewayTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        cls.ca, cls.cert, cls.key = make_certs(d)
        cls.fake = gateway_fakes.FakeLambda()
        cls.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(d, "gw"),
                       "--lambda-endpoint", cls.fake.url, "--tls-cert", cls.cert, "--tls-key", cls.key])
        cls.port = cls.gw.addr["http"][1]
        cls.base = f"https://127.0.0.1:{cls.port}"

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.fake.close()
        cls.tmp.cleanup()

    def aws(self, *args):
        r = subprocess.run([AWS, *args, "--endpoint-url", self.base, "--ca-bundle", self.ca],
                           capture_output=True, text=True, env=ENV, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout) if r.stdout.strip() else {}

    def test_announces_https(self):
        self.assertTrue(any(l.startswith(f"listening http https://127.0.0.1:{self.port}") for l in self.gw.lines),
                        self.gw.output())

    def test_http_api_by_aws_cli_and_curl(self):
        api = self.aws("apigatewayv2", "create-api", "--name", "tls-http", "--protocol-type", "HTTP",
                       "--target", ARN + "tls-echo")
        self.assertEqual(api["ApiEndpoint"], f"https://{api['ApiId']}.execute-api.localhost:{self.port}")
        self.assertEqual(self.aws("apigatewayv2", "get-api", "--api-id", api["ApiId"])["Name"], "tls-http")
        # The invoke URL as AWS gives it, resolved to the gateway: the name is checked against the
        # certificate's *.execute-api.localhost, ALPN settles on HTTP/1.1.
        host = f"{api['ApiId']}.execute-api.localhost"
        r = curl("-v", "--cacert", self.ca, "--resolve", f"{host}:{self.port}:127.0.0.1",
                 "-X", "POST", "-H", "Content-Type: text/plain", "-d", "over tls", f"https://{host}:{self.port}/items/7")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"body": "over tls", "connectionId": None, "path": "/items/7"})
        self.assertRegex(r.stderr, r"ALPN[:,] server accepted (to use )?http/1\.1")
        self.assertIn("SSL certificate verify ok", r.stderr)

    def test_rest_api_by_boto3_and_curl(self):
        apigw = boto3.session.Session().client("apigateway", endpoint_url=self.base, verify=self.ca, **CREDS)
        try:
            api = apigw.import_rest_api(body=REST_API.encode())
            apigw.create_deployment(restApiId=api["id"], stageName="prod")
            self.assertIn("tls-rest", [a["name"] for a in apigw.get_rest_apis()["items"]])
        finally:
            apigw.close()
        # Two requests on one kept-alive TLS connection; the path form of the invoke URL.
        url = f"{self.base}/_api/{api['id']}/prod/ping"
        r = curl("--cacert", self.ca, "-w", "\\n%{http_code} %{num_connects}\\n", url, url)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.strip().split("\n")
        self.assertEqual([json.loads(lines[0]), lines[1], json.loads(lines[2]), lines[3]],
                         [{"pong": "prod"}, "200 1", {"pong": "prod"}, "200 0"])

    def test_untrusted_certificate_is_refused_by_the_client(self):
        r = curl(f"{self.base}/v2/apis")  # no --cacert: the system store does not know our CA
        self.assertEqual(r.returncode, 60, r.stderr)  # CURLE_PEER_FAILED_VERIFICATION

    def test_wss_messages_and_push(self):
        c = boto3.session.Session().client("apigatewayv2", endpoint_url=self.base, verify=self.ca, **CREDS)
        api = c.create_api(Name="tls-ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
        self.assertEqual(api["ApiEndpoint"], f"wss://{api['ApiId']}.execute-api.localhost:{self.port}")
        integ = c.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=ARN + "tls-echo")
        c.create_route(ApiId=api["ApiId"], RouteKey="$default", Target="integrations/" + integ["IntegrationId"],
                       RouteResponseSelectionExpression="$default")
        c.create_stage(ApiId=api["ApiId"], StageName="prod", AutoDeploy=True)
        c.close()
        path = f"/_api/{api['ApiId']}/prod"
        mgmt = boto3.session.Session().client("apigatewaymanagementapi", endpoint_url=self.base + path,
                                              verify=self.ca, **CREDS)
        context = ssl.create_default_context(cafile=self.ca)

        async def scenario():
            async with websockets.connect(f"wss://127.0.0.1:{self.port}{path}", ssl=context) as ws:
                version = ws.transport.get_extra_info("ssl_object").version()
                # ~100 KB: several TLS records each way, sent in frames within API Gateway's 32 KB.
                text = json.dumps({"hello": "tls", "big": "x" * 100000})
                await ws.send([text[i:i + 30000] for i in range(0, len(text), 30000)])
                echoed = json.loads(await ws.recv())
                await asyncio.to_thread(mgmt.post_to_connection, ConnectionId=echoed["connectionId"], Data=b"pushed")
                pushed = await ws.recv()
                info = await asyncio.to_thread(mgmt.get_connection, ConnectionId=echoed["connectionId"])
                return version, echoed, pushed, info

        try:
            version, echoed, pushed, info = asyncio.run(asyncio.wait_for(scenario(), 60))
        finally:
            mgmt.close()
        self.assertEqual(version, "TLSv1.3")
        self.assertEqual(json.loads(echoed["body"]), {"hello": "tls", "big": "x" * 100000})
        self.assertEqual(pushed, "pushed")
        self.assertIn("ConnectedAt", info)

    def test_plain_http_and_garbage_are_closed_and_serving_goes_on(self):
        for junk in (b"GET /v2/apis HTTP/1.1\r\nHost: x\r\n\r\n", b"\x16\x03\x01\x00\x05hello", b"\xff" * 4096):
            with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
                s.sendall(junk)
                got = b""
                while True:  # until the gateway closes (a reset counts), bounded by the timeout
                    try:
                        chunk = s.recv(4096)
                    except ConnectionResetError:
                        break
                    if not chunk:
                        break
                    got += chunk
                self.assertNotIn(b"HTTP/1.1", got, junk[:20])
        r = curl("--cacert", self.ca, f"{self.base}/metrics")
        self.assertEqual(r.returncode, 0, r.stderr)
        failures = [l for l in r.stdout.split("\n") if l.startswith("cdnlab_gateway_tls_failures_total ")]
        self.assertEqual(len(failures), 1, r.stdout)
        self.assertGreaterEqual(int(failures[0].split()[1]), 3)

    def test_bad_tls_flags_are_refused_at_start(self):
        d = self.tmp.name
        cases = [
            (["--tls-cert", self.cert], "--tls-cert needs --tls-key"),
            (["--tls-cert", os.path.join(d, "missing.pem"), "--tls-key", self.key], "missing.pem: cannot read"),
            (["--tls-cert", self.cert, "--tls-key", self.cert], "server.pem: not a PEM private key"),
            (["--tls-cert", self.ca, "--tls-key", self.key], "does not match the certificate"),
        ]
        for flags, message in cases:
            r = subprocess.run([BIN, "gateway", "--listen", "127.0.0.1:0", "--data", "", *flags],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 2, (flags, r.stdout, r.stderr))
            self.assertIn(message, r.stderr, flags)


if __name__ == "__main__":
    unittest.main()
