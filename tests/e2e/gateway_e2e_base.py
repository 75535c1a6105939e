"""Shared setup of the gateway's end-to-end tests (test_gateway_*.py): a `cdnlab gateway` with
its Lambda endpoint at a fake Lambda Invoke API and an echo upstream (gateway_fakes.py), aws-cli
and boto3 helpers, JWT helpers."""
import base64
import hashlib
import hmac
import http.client
import json
import time
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from gateway_fakes import EchoUpstream, FakeLambda  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

AWS = "/usr/bin/aws"
ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDTEST", AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-east-1",
           AWS_PAGER="", AWS_EC2_METADATA_DISABLED="true")
ARN = "arn:aws:lambda:us-east-1:123456789012:function:"
ISSUER = "https://issuer.example"
JWT_SECRET = b"0123456789abcdef0123456789abcdef"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def hs256(claims, secret=JWT_SECRET, kid="h1"):
    head = b64u(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64u(json.dumps(claims).encode())
    sig = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64u(sig)}"

OPENAPI = """openapi: 3.0.1
info: {title: imported, version: "1.0"}
x-amazon-apigateway-cors:
  allowOrigins: ["https://app.example"]
  allowMethods: [GET, POST]
  allowHeaders: [content-type, x-token]
  exposeHeaders: [x-upstream]
  maxAge: 600
paths:
  /ping:
    get:
      x-amazon-apigateway-integration:
        type: mock
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '{"pong":true}'}
            responseParameters: {method.response.header.x-mock: "'yes'"}
  /proxy/{proxy+}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: http_proxy
        uri: "UPSTREAM/base/{proxy}"
        httpMethod: ANY
        requestParameters:
          "append:header.x-added": "$request.header.x-token"
          "overwrite:querystring.page": "2"
          "remove:header.x-drop": "''"
  /fn/{name}:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations"
        payloadFormatVersion: "2.0"
"""


def aws(*args, check=True):
    r = subprocess.run([AWS, *args], capture_output=True, text=True, env=ENV, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed: {r.stderr}")
    return r


def request(addr, method, path, host=None, headers=None, body=None, timeout=10):
    c = http.client.HTTPConnection(addr[0], addr[1], timeout=timeout)
    h = dict(headers or {})
    if host:
        h["Host"] = host
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    out = (r.status, {k.lower(): v for k, v in r.getheaders()}, data, r.msg.get_all("set-cookie") or [])
    c.close()
    return out


def jbody(resp):
    return json.loads(resp[2])


def gateway_client(service, endpoint_url):
    """A boto3 client of `service` at the gateway (the tests' credentials, no retries: a failure
    shows at once)."""
    return boto3.session.Session().client(
        service, endpoint_url=endpoint_url, region_name="us-east-1", aws_access_key_id="AKIDTEST",
        aws_secret_access_key="secret", config=Config(retries={"max_attempts": 1}))


class PlainGatewayCase(unittest.TestCase):
    """One gateway without Lambda per test class, managed through `SERVICE` (cls.boto) or aws-cli
    (with cls.ep); no tests here."""

    SERVICE = "apigatewayv2"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(cls.tmp.name, "gw")])
        cls.ep = ["--endpoint-url", cls.gw.url()]
        cls.boto = gateway_client(cls.SERVICE, cls.gw.url())

    @classmethod
    def tearDownClass(cls):
        cls.boto.close()
        cls.gw.stop()
        cls.tmp.cleanup()


class GatewayCase(unittest.TestCase):
    """One gateway (with --lambda-endpoint at the fake and --jwks) per test class; no tests here."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = os.path.join(cls.tmp.name, "gw-data")
        cls.jwks = os.path.join(cls.tmp.name, "jwks.json")
        with open(cls.jwks, "w") as f:
            json.dump({"keys": [{"kty": "oct", "kid": "h1", "k": b64u(JWT_SECRET)}]}, f)
        cls.fake = FakeLambda(slow_seconds=1.5)
        cls.upstream = EchoUpstream()
        cls.gw = cls.start()
        cls.ep = ["--endpoint-url", cls.gw.url()]
        cls.boto = gateway_client("apigatewayv2", cls.gw.url())

    @classmethod
    def start(cls, extra=()):
        return Proc(["gateway", "--listen", "127.0.0.1:0", "--data", cls.data, "--lambda-endpoint", cls.fake.url,
                     "--workers", "2", "--jwks", f"{ISSUER}={cls.jwks}", *extra])

    @classmethod
    def tearDownClass(cls):
        cls.boto.close()
        cls.gw.stop()
        cls.fake.close()
        cls.upstream.close()
        cls.tmp.cleanup()

    def addr(self):
        return self.gw.addr["http"]

    def invoke(self, api_id, method, path, **kw):
        return request(self.addr(), method, path, host=f"{api_id}.execute-api.localhost", **kw)

    def last_event(self):
        return self.fake.invocations[-1][2]
