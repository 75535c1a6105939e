"""`cdnlab gateway` end to end, second half: import-api (aws-cli, file://) with mock, HTTP proxy
parameter mapping and CORS (preflight and actual), bad documents refused with line and reason;
throttling per stage (429), access logs, /metrics, JWT
authorizers (aws-cli create-authorizer, HS256 tokens: missing, expired, wrong audience / issuer /
signature -> 401, missing scope -> 403, claims in the event), and a restart keeping the APIs."""
import json
import os
import subprocess
import tempfile
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from gateway_e2e_base import ARN, ISSUER, OPENAPI, JWT_SECRET, GatewayCase, aws, gateway_client, hs256, request  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402


class GatewayPolicies(GatewayCase):
    # --- import-api: mock, HTTP proxy with parameter mapping, CORS ------------------------------

    def test_mock_answer_without_cors(self):
        # Without CORS the MOCK answer is built once per deployment (gateway/runtime/mock_answer.h):
        # every answer still carries the mock's fields and its own request id.
        doc = OPENAPI.replace("UPSTREAM", self.upstream.url)
        doc = doc[:doc.index("x-amazon-apigateway-cors:")] + doc[doc.index("paths:"):]
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(doc)
        try:
            api_id = json.loads(aws("apigatewayv2", "import-api", "--body", "file://" + f.name, *self.ep).stdout)["ApiId"]
        finally:
            os.unlink(f.name)
        self.boto.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        ids = set()
        for _ in range(2):
            st, h, body, _ = self.invoke(api_id, "GET", "/ping", headers={"Origin": "https://app.example"})
            self.assertEqual((st, json.loads(body), h["x-mock"], h["content-type"]),
                             (200, {"pong": True}, "yes", "application/json"))
            self.assertEqual(h["content-length"], str(len(body)))
            self.assertNotIn("access-control-allow-origin", h)
            ids.add(h["apigw-requestid"])
        self.assertEqual(len(ids), 2)
        self.boto.delete_api(ApiId=api_id)

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

    # --- JWT authorizer -----------------------------------------------------------------------

    def test_jwt_authorizer(self):
        api_id = self.boto.create_api(Name="secured", ProtocolType="HTTP")["ApiId"]
        az = json.loads(aws("apigatewayv2", "create-authorizer", "--api-id", api_id, "--authorizer-type", "JWT",
                            "--identity-source", "$request.header.Authorization", "--name", "jwt",
                            "--jwt-configuration", f"Audience=api://shop,Issuer={ISSUER}", *self.ep).stdout)
        self.assertEqual(az["JwtConfiguration"], {"Audience": ["api://shop"], "Issuer": ISSUER})
        i = self.boto.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=ARN + "echo",
                                         PayloadFormatVersion="2.0")
        self.boto.create_route(ApiId=api_id, RouteKey="GET /me", Target="integrations/" + i["IntegrationId"],
                               AuthorizationType="JWT", AuthorizerId=az["AuthorizerId"], AuthorizationScopes=["read"])
        self.boto.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
        now = int(time.time())
        good = {"iss": ISSUER, "aud": "api://shop", "sub": "user-1", "exp": now + 600, "scope": "read"}
        n = len(self.fake.invocations)
        st, h, body, _ = self.invoke(api_id, "GET", "/me")
        self.assertEqual((st, json.loads(body)), (401, {"message": "Unauthorized"}))
        for claims, secret in ((dict(good, exp=now - 10), JWT_SECRET), (dict(good, aud="api://other"), JWT_SECRET),
                               (dict(good, iss="https://evil.example"), JWT_SECRET), (good, b"wrong-secret-wrong-secret-wrong!!")):
            st, h, body, _ = self.invoke(api_id, "GET", "/me", headers={"Authorization": "Bearer " + hs256(claims, secret)})
            self.assertEqual((st, json.loads(body)), (401, {"message": "Unauthorized"}), claims)
            self.assertIn('error="invalid_token"', h["www-authenticate"])
        st, _, body, _ = self.invoke(api_id, "GET", "/me", headers={"Authorization": hs256(dict(good, scope="write"))})
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))
        self.assertEqual(len(self.fake.invocations), n)  # no refused request reached the function
        st, _, _, _ = self.invoke(api_id, "GET", "/me", headers={"Authorization": "Bearer " + hs256(good)})
        self.assertEqual(st, 200)
        jwt = self.last_event()["requestContext"]["authorizer"]["jwt"]
        self.assertEqual(jwt["claims"]["sub"], "user-1")
        self.assertEqual(jwt["claims"]["exp"], str(now + 600))
        self.assertEqual(jwt["scopes"], ["read"])
        with self.assertRaises(ClientError) as e:
            self.boto.create_route(ApiId=api_id, RouteKey="GET /x", AuthorizationType="JWT", AuthorizerId="nope")
        self.assertEqual(e.exception.response["Error"]["Code"], "NotFoundException")

    # --- persistence and startup errors (runs last: it restarts the gateway) -------------------

    def test_zz_restart_keeps_apis_and_bad_api_file_is_refused(self):
        api_id = self.boto.create_api(Name="durable", ProtocolType="HTTP", Target=ARN + "plain")["ApiId"]
        self.assertEqual(self.invoke(api_id, "GET", "/")[0], 200)
        self.boto.close()
        self.gw.stop()
        type(self).gw = self.start()
        type(self).boto = gateway_client("apigatewayv2", self.gw.url())
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
