"""`cdnlab gateway` HTTP APIs end to end: aws-cli (apigatewayv2) and boto3 deploy through the
management API, HTTP clients invoke by Host and by the /_api/<apiId> path form. Lambda proxy
integrations go to a fake Lambda Invoke API (gateway_fakes.py) and the payload 2.0 / 1.0 events
it receives are checked member by member; also HTTP proxy with parameter mapping, mock, the
response rules, throttling, CORS, access logs, /metrics, bad input and a restart."""
import http.client
import json
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


class GatewayHttpApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = os.path.join(cls.tmp.name, "gw-data")
        cls.fake = FakeLambda(slow_seconds=1.5)
        cls.upstream = EchoUpstream()
        cls.gw = cls.start()
        cls.ep = ["--endpoint-url", cls.gw.url()]
        cls.boto = boto3.session.Session().client(
            "apigatewayv2", endpoint_url=cls.gw.url(), region_name="us-east-1", aws_access_key_id="AKIDTEST",
            aws_secret_access_key="secret", config=Config(retries={"max_attempts": 1}))

    @classmethod
    def start(cls, extra=()):
        return Proc(["gateway", "--listen", "127.0.0.1:0", "--data", cls.data, "--lambda-endpoint", cls.fake.url,
                     "--workers", "2", *extra])

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

    # --- management API + Lambda proxy 2.0 -------------------------------------------------

    def test_quick_create_and_payload_v2(self):
        api = json.loads(aws("apigatewayv2", "create-api", "--name", "quick", "--protocol-type", "HTTP",
                             "--target", ARN + "echo", *self.ep).stdout)
        self.assertEqual(api["ProtocolType"], "HTTP")
        self.assertEqual(api["RouteSelectionExpression"], "${request.method} ${request.path}")
        self.assertIn(api["ApiId"], api["ApiEndpoint"])
        api_id = api["ApiId"]
        routes = json.loads(aws("apigatewayv2", "get-routes", "--api-id", api_id, *self.ep).stdout)["Items"]
        self.assertEqual([r["RouteKey"] for r in routes], ["$default"])
        stages = json.loads(aws("apigatewayv2", "get-stages", "--api-id", api_id, *self.ep).stdout)["Items"]
        self.assertEqual(stages[0]["StageName"], "$default")
        self.assertTrue(stages[0]["AutoDeploy"])
        integ = json.loads(aws("apigatewayv2", "get-integrations", "--api-id", api_id, *self.ep).stdout)["Items"][0]
        self.assertEqual((integ["IntegrationType"], integ["PayloadFormatVersion"]), ("AWS_PROXY", "2.0"))

        st, h, body, _ = self.invoke(api_id, "POST", "/my/path?parameter1=value1&parameter1=value2&parameter2=value",
                                     headers={"Header1": "value1", "Cookie": "cookie1; cookie2", "User-Agent": "agent",
                                              "Content-Type": "text/plain"}, body=b"Hello from Lambda")
        self.assertEqual(st, 200, body)
        self.assertIn("apigw-requestid", h)
        name, path, ev = self.fake.invocations[-1]
        self.assertEqual(name, "echo")
        self.assertEqual(path, "/2015-03-31/functions/echo/invocations")
        self.assertEqual(list(ev.keys()), ["version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
                                           "queryStringParameters", "requestContext", "body", "isBase64Encoded"])
        self.assertEqual(ev["version"], "2.0")
        self.assertEqual(ev["routeKey"], "$default")
        self.assertEqual(ev["rawPath"], "/my/path")
        self.assertEqual(ev["rawQueryString"], "parameter1=value1&parameter1=value2&parameter2=value")
        self.assertEqual(ev["cookies"], ["cookie1", "cookie2"])
        self.assertEqual(ev["headers"]["header1"], "value1")
        self.assertNotIn("cookie", ev["headers"])
        self.assertTrue(all(k == k.lower() for k in ev["headers"]))
        self.assertEqual(ev["queryStringParameters"], {"parameter1": "value1,value2", "parameter2": "value"})
        rc = ev["requestContext"]
        self.assertEqual(list(rc.keys()), ["accountId", "apiId", "domainName", "domainPrefix", "http", "requestId",
                                           "routeKey", "stage", "time", "timeEpoch"])
        self.assertEqual(rc["apiId"], api_id)
        self.assertEqual(rc["domainName"], f"{api_id}.execute-api.localhost")
        self.assertEqual(rc["domainPrefix"], api_id)
        self.assertEqual(rc["http"], {"method": "POST", "path": "/my/path", "protocol": "HTTP/1.1",
                                      "sourceIp": "127.0.0.1", "userAgent": "agent"})
        self.assertEqual(rc["requestId"], h["apigw-requestid"])
        self.assertEqual(rc["stage"], "$default")
        self.assertRegex(rc["time"], r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
        self.assertIsInstance(rc["timeEpoch"], int)
        self.assertEqual(ev["body"], "Hello from Lambda")
        self.assertFalse(ev["isBase64Encoded"])
        # The path form reaches the same API.
        st, _, _, _ = request(self.addr(), "GET", f"/_api/{api_id}/other")
        self.assertEqual(st, 200)
        self.assertEqual(self.last_event()["rawPath"], "/other")
        # delete-api: gone from the list and from the invoke path.
        aws("apigatewayv2", "delete-api", "--api-id", api_id, *self.ep)
        self.assertEqual(self.invoke(api_id, "GET", "/x")[0:1], (404,))
        r = aws("apigatewayv2", "get-api", "--api-id", api_id, *self.ep, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NotFoundException", r.stderr)

    def test_boto3_routes_stages_and_payload_v1(self):
        b = self.boto
        api_id = b.create_api(Name="shop", ProtocolType="HTTP")["ApiId"]
        i1 = b.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=ARN + "echo",
                                  PayloadFormatVersion="1.0")
        self.assertEqual(i1["TimeoutInMillis"], 30000)
        r1 = b.create_route(ApiId=api_id, RouteKey="GET /items/{id}", Target="integrations/" + i1["IntegrationId"])
        self.assertEqual(r1["AuthorizationType"], "NONE")
        b.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True, StageVariables={"table": "items"})
        self.assertEqual([s["StageName"] for s in b.get_stages(ApiId=api_id)["Items"]], ["prod"])
        st, _, _, _ = self.invoke(api_id, "GET", "/prod/items/7?a=1&a=2", headers={"X-Multi": "one", "User-Agent": "ua"})
        self.assertEqual(st, 200)
        ev = self.last_event()
        self.assertEqual(ev["version"], "1.0")
        self.assertEqual(ev["resource"], "/items/{id}")
        self.assertEqual(ev["path"], "/prod/items/7")
        self.assertEqual(ev["httpMethod"], "GET")
        self.assertEqual(ev["pathParameters"], {"id": "7"})
        self.assertEqual(ev["stageVariables"], {"table": "items"})
        self.assertEqual(ev["multiValueQueryStringParameters"], {"a": ["1", "2"]})
        self.assertEqual(ev["multiValueHeaders"]["x-multi"], ["one"])
        self.assertEqual(ev["requestContext"]["stage"], "prod")
        self.assertEqual(ev["requestContext"]["resourcePath"], "/items/{id}")
        self.assertEqual(ev["requestContext"]["identity"]["sourceIp"], "127.0.0.1")
        self.assertIsNone(ev["body"])
        # Unmatched path and method: 404 {"message":"Not Found"}; unknown stage too.
        for path in ("/prod/items", "/prod/nope/7", "/dev/items/7"):
            st, h, body, _ = self.invoke(api_id, "GET", path)
            self.assertEqual((st, json.loads(body)), (404, {"message": "Not Found"}), path)
        self.assertEqual(self.invoke(api_id, "POST", "/prod/items/7")[0], 404)
        # A stage without autoDeploy serves its deployment, not later edits.
        b.create_stage(ApiId=api_id, StageName="frozen")
        self.assertEqual(self.invoke(api_id, "GET", "/frozen/items/7")[0], 404)
        dep = b.create_deployment(ApiId=api_id, StageName="frozen")
        self.assertEqual(dep["DeploymentStatus"], "DEPLOYED")
        self.assertEqual(self.invoke(api_id, "GET", "/frozen/items/7")[0], 200)
        b.create_route(ApiId=api_id, RouteKey="GET /later", Target="integrations/" + i1["IntegrationId"])
        self.assertEqual(self.invoke(api_id, "GET", "/prod/later")[0], 200)
        self.assertEqual(self.invoke(api_id, "GET", "/frozen/later")[0], 404)
        # Errors in AWS's shapes.
        with self.assertRaises(ClientError) as e:
            b.create_route(ApiId=api_id, RouteKey="GET /items/{other}", Target="integrations/" + i1["IntegrationId"])
        self.assertEqual(e.exception.response["Error"]["Code"], "ConflictException")
        self.assertIn("GET /items/{id}", e.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as e:
            b.create_integration(ApiId=api_id, IntegrationType="LAMBDA", IntegrationUri=ARN + "echo")
        self.assertEqual(e.exception.response["Error"]["Code"], "BadRequestException")
        self.assertIn("LAMBDA", e.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as e:
            b.create_stage(ApiId=api_id, StageName="prod")
        self.assertEqual(e.exception.response["Error"]["Code"], "ConflictException")
        with self.assertRaises(ClientError) as e:
            b.get_routes(ApiId="nosuchapi")
        self.assertEqual(e.exception.response["Error"]["Code"], "NotFoundException")
        # The refused edits lost nothing.
        self.assertEqual(self.invoke(api_id, "GET", "/prod/items/8")[0], 200)

    # --- response rules ------------------------------------------------------------------------

    def test_response_rules(self):
        b = self.boto
        api_id = b.create_api(Name="rules", ProtocolType="HTTP")["ApiId"]

        def route(key, fn, version="2.0", timeout=None):
            kw = {"TimeoutInMillis": timeout} if timeout else {}
            i = b.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=ARN + fn,
                                     PayloadFormatVersion=version, **kw)
            b.create_route(ApiId=api_id, RouteKey=key, Target="integrations/" + i["IntegrationId"])

        route("GET /plain", "plain")
        route("GET /text", "text")
        route("GET /cookies", "cookies")
        route("GET /b64", "b64")
        route("GET /malformed", "malformed")
        route("GET /error", "error")
        route("GET /missing", "missing")
        route("GET /slow", "slow", timeout=300)
        route("GET /v1-missing", "v1-missing-status", version="1.0")
        b.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        st, h, body, _ = self.invoke(api_id, "GET", "/plain")
        self.assertEqual((st, h["content-type"], json.loads(body)), (200, "application/json", {"message": "hi"}))
        st, h, body, _ = self.invoke(api_id, "GET", "/text")
        self.assertEqual((st, body), (200, b"Hello from Lambda!"))
        st, h, body, cookies = self.invoke(api_id, "GET", "/cookies")
        self.assertEqual((st, h["x-fn"], body), (201, "yes", b"made"))
        self.assertEqual(cookies, ["a=1; Path=/", "b=2"])
        st, h, body, _ = self.invoke(api_id, "GET", "/b64")
        self.assertEqual((st, body), (200, b"\x00\x01binary"))
        for path, status, message in (("/malformed", 500, "Internal Server Error"), ("/error", 500, "Internal Server Error"),
                                      ("/missing", 500, "Internal Server Error"), ("/v1-missing", 500, "Internal Server Error"),
                                      ("/slow", 503, "Service Unavailable")):
            st, h, body, _ = self.invoke(api_id, "GET", path)
            self.assertEqual((st, json.loads(body)), (status, {"message": message}), path)
        # Bodies above 10 MB: 413 before any function runs.
        n = len(self.fake.invocations)
        st, _, _, _ = self.invoke(api_id, "POST", "/plain", body=b"x" * (10 * 1024 * 1024 + 1))
        self.assertEqual(st, 413)
        self.assertEqual(len(self.fake.invocations), n)

    # --- import-api: mock, HTTP proxy with parameter mapping, CORS ------------------------------

    def test_import_api_mock_http_proxy_cors(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(OPENAPI.replace("UPSTREAM", self.upstream.url))
        try:
            api = json.loads(aws("apigatewayv2", "import-api", "--body", "file://" + f.name, *self.ep).stdout)
        finally:
            os.unlink(f.name)
        api_id = api["ApiId"]
        self.assertEqual(api["Name"], "imported")
        self.assertEqual(api["CorsConfiguration"]["MaxAge"], 600)
        keys = sorted(r["RouteKey"] for r in self.boto.get_routes(ApiId=api_id)["Items"])
        self.assertEqual(keys, ["ANY /proxy/{proxy+}", "GET /ping", "POST /fn/{name}"])
        self.boto.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        st, h, body, _ = self.invoke(api_id, "GET", "/ping", headers={"Origin": "https://app.example"})
        self.assertEqual((st, json.loads(body), h["x-mock"]), (200, {"pong": True}, "yes"))
        self.assertEqual(h["access-control-allow-origin"], "https://app.example")
        self.assertEqual(h["access-control-expose-headers"], "x-upstream")
        # HTTP proxy: greedy path into the URI, query forwarded and mapped, headers mapped.
        st, h, body, _ = self.invoke(api_id, "PUT", "/proxy/a/b%20c?page=1&q=x",
                                     headers={"x-token": "t1", "x-drop": "gone"}, body=b"payload")
        self.assertEqual(st, 200, body)
        up = json.loads(body)
        self.assertEqual(up["method"], "PUT")
        self.assertEqual(up["path"], "/base/a/b%20c?page=2&q=x")
        self.assertEqual(up["headers"]["x-added"], "t1")
        self.assertNotIn("x-drop", up["headers"])
        self.assertEqual(up["body"], "payload")
        self.assertEqual(h["x-upstream"], "echo")
        # The invocation-URI form of a Lambda ARN.
        st, _, _, _ = self.invoke(api_id, "POST", "/fn/hello", body=b"{}", headers={"content-type": "application/json"})
        self.assertEqual(st, 200)
        self.assertEqual(self.last_event()["pathParameters"], {"name": "hello"})
        # CORS preflight is answered by the gateway (no OPTIONS route exists).
        st, h, body, _ = self.invoke(api_id, "OPTIONS", "/ping", headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-token"})
        self.assertEqual(st, 204)
        self.assertEqual(h["access-control-allow-origin"], "https://app.example")
        self.assertEqual(h["access-control-allow-methods"], "GET,POST")
        self.assertEqual(h["access-control-allow-headers"], "content-type,x-token")
        self.assertEqual(h["access-control-max-age"], "600")
        st, h, _, _ = self.invoke(api_id, "OPTIONS", "/ping", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(st, 204)
        self.assertNotIn("access-control-allow-origin", h)
        # Bad documents are refused with line and reason; the API deployed before stays.
        bad = OPENAPI.replace("type: http_proxy", "type: lambda_thing")
        r = aws("apigatewayv2", "reimport-api", "--api-id", api_id, "--body", bad, *self.ep, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BadRequestException", r.stderr)
        self.assertIn("body:22: paths./proxy/{proxy+}.x-amazon-apigateway-any-method.x-amazon-apigateway-integration.type", r.stderr)
        conflict = OPENAPI.replace("UPSTREAM", self.upstream.url).replace("  /fn/{name}:", "  /ping/{a}:\n    get: {}\n  /ping/{b}:\n    get: {}\n  /fn/{name}:")
        r = aws("apigatewayv2", "import-api", "--body", conflict, *self.ep, check=False)
        self.assertIn("conflicts with route GET /ping/{a}", r.stderr)
        self.assertEqual(self.invoke(api_id, "GET", "/ping")[0], 200)

    # --- throttling, access log, metrics ---------------------------------------------------------

    def test_throttle_access_log_metrics(self):
        b = self.boto
        api_id = b.create_api(Name="limits", ProtocolType="HTTP", Target=ARN + "plain")["ApiId"]
        log = os.path.join(self.tmp.name, "access.log")
        b.create_stage(ApiId=api_id, StageName="tight", AutoDeploy=True,
                       DefaultRouteSettings={"ThrottlingBurstLimit": 2, "ThrottlingRateLimit": 0.01},
                       AccessLogSettings={"DestinationArn": log, "Format": '{"requestId":"$context.requestId",'
                                          '"routeKey":"$context.routeKey","status":"$context.status",'
                                          '"ip":"$context.identity.sourceIp","integrationStatus":"$context.integrationStatus",'
                                          '"error":"$context.error.message"}'})
        results = [self.invoke(api_id, "GET", "/tight/x") for _ in range(5)]
        self.assertEqual([r[0] for r in results], [200, 200, 429, 429, 429])
        self.assertEqual(json.loads(results[2][2]), {"message": "Too Many Requests"})
        with open(log) as f:
            lines = [json.loads(l) for l in f.read().splitlines()]
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines[0]["requestId"], results[0][1]["apigw-requestid"])
        self.assertEqual((lines[0]["routeKey"], lines[0]["status"], lines[0]["integrationStatus"]), ("$default", "200", "200"))
        self.assertEqual((lines[2]["status"], lines[2]["error"], lines[2]["integrationStatus"]), ("429", "Too Many Requests", "-"))
        self.assertEqual(lines[0]["ip"], "127.0.0.1")
        # The $default stage of the same API has no limit.
        self.assertEqual([self.invoke(api_id, "GET", "/x")[0] for _ in range(4)], [200] * 4)
        st, _, text, _ = request(self.addr(), "GET", "/metrics")
        self.assertEqual(st, 200)
        text = text.decode()
        self.assertIn(f'cdnlab_gateway_requests_total{{api="{api_id}",stage="tight",route="$default"}} 5', text)
        self.assertIn(f'cdnlab_gateway_4xx_total{{api="{api_id}",stage="tight",route="$default"}} 3', text)
        self.assertIn(f'cdnlab_gateway_throttled_total{{api="{api_id}",stage="tight",route="$default"}} 3', text)
        self.assertIn(f'cdnlab_gateway_integration_latency_seconds_count{{api="{api_id}",stage="tight",route="$default"}} 2', text)

    # --- persistence and startup errors (runs last: it restarts the gateway) -------------------

    def test_zz_restart_keeps_apis_and_bad_api_file_is_refused(self):
        api_id = self.boto.create_api(Name="durable", ProtocolType="HTTP", Target=ARN + "plain")["ApiId"]
        self.assertEqual(self.invoke(api_id, "GET", "/")[0], 200)
        self.boto.close()
        self.gw.stop()
        type(self).gw = self.start()
        type(self).boto = boto3.session.Session().client(
            "apigatewayv2", endpoint_url=self.gw.url(), region_name="us-east-1", aws_access_key_id="AKIDTEST",
            aws_secret_access_key="secret", config=Config(retries={"max_attempts": 1}))
        names = [a["Name"] for a in self.boto.get_apis()["Items"]]
        self.assertIn("durable", names)
        self.assertEqual(self.invoke(api_id, "GET", "/")[0], 200)
        bad = os.path.join(self.tmp.name, "bad.yaml")
        with open(bad, "w") as f:
            f.write("openapi: 3.0.1\ninfo: {title: t}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: nope\n")
        r = subprocess.run([os.environ.get("CDNLAB_BIN", "build/cdnlab"), "gateway", "--listen", "127.0.0.1:0",
                            "--data", os.path.join(self.tmp.name, "other"), "--api", bad],
                           capture_output=True, text=True, timeout=20)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(bad + ":7: paths./a.get.x-amazon-apigateway-integration.type: unknown integration type 'nope'", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
