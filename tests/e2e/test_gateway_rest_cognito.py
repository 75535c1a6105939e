"""REST API (v1) Cognito user pool authorizers end to end: a local stand-in for cognito-idp serves
the pools' JWKS (the gateway's --cognito-idp-endpoint) and signs ID and access tokens with RS256;
aws-cli creates the COGNITO_USER_POOLS authorizer with --provider-arns, boto3 puts the methods
(one with authorizationScopes). Asserted as a user would: a valid ID token reaches the Lambda
proxy integration with requestContext.authorizer.claims and a mapping template with
$context.authorizer.claims.*; no token, another pool's token, a tampered one, an ID token on a
scoped method and an access token without the scope are 401 Unauthorized; an expired one is 401
"The incoming token has expired"; a rotated key is fetched once; an OpenAPI import with a
cognito_user_pools security scheme serves the same."""
import base64
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from cognito_pool import CognitoIdp, b64u  # noqa: E402
from gateway_e2e_base import ARN, aws, gateway_client, request  # noqa: E402
from gateway_fakes import FakeLambda  # noqa: E402


URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + ARN + "echo/invocations"
CLAIMS_TEMPLATE = ('{"user": "$context.authorizer.claims[\'cognito:username\']", '
                   '"email": "$context.authorizer.claims.email", "use": "$context.authorizer.claims.token_use"}')

OPENAPI = """openapi: 3.0.1
info: {title: imported-cognito, version: "1"}
components:
  securitySchemes:
    pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: ["POOL_ARN"]
paths:
  /who:
    get:
      security: [{pool: ["shop/read"]}]
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '{"scope": "$context.authorizer.claims.scope"}'}
"""


class RestCognito(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.idp = CognitoIdp("us-east-1_PoolOne", "us-east-1_PoolTwo")
        cls.pool, cls.other = cls.idp.pools["us-east-1_PoolOne"], cls.idp.pools["us-east-1_PoolTwo"]
        cls.fake = FakeLambda()
        cls.gw = Proc(["gateway", "--listen", "127.0.0.1:0", "--data", os.path.join(cls.tmp.name, "gw"),
                       "--lambda-endpoint", cls.fake.url, "--cognito-idp-endpoint", cls.idp.url])
        cls.ep = ["--endpoint-url", cls.gw.url()]
        cls.boto = gateway_client("apigateway", cls.gw.url())
        cls.api = cls.boto.create_rest_api(name="cognito")["id"]
        root = cls.boto.get_resources(restApiId=cls.api)["items"][0]["id"]
        cls.authorizer = json.loads(aws(
            "apigateway", "create-authorizer", "--rest-api-id", cls.api, "--name", "pool", "--type", "COGNITO_USER_POOLS",
            "--provider-arns", cls.pool.arn, "--identity-source", "method.request.header.Authorization", *cls.ep).stdout)
        cls.me = cls.method(root, "me", proxy=True)
        cls.method(root, "claims", template=CLAIMS_TEMPLATE)
        cls.method(root, "orders", template='{"scopes": "$context.authorizer.claims.scope"}', scopes=["shop/read", "shop/admin"])
        cls.boto.create_deployment(restApiId=cls.api, stageName="prod")

    @classmethod
    def method(cls, root, part, proxy=False, template=None, scopes=None):
        rid = cls.boto.create_resource(restApiId=cls.api, parentId=root, pathPart=part)["id"]
        extra = {"authorizationScopes": scopes} if scopes else {}
        cls.boto.put_method(restApiId=cls.api, resourceId=rid, httpMethod="GET", authorizationType="COGNITO_USER_POOLS",
                            authorizerId=cls.authorizer["id"], **extra)
        if proxy:
            cls.boto.put_integration(restApiId=cls.api, resourceId=rid, httpMethod="GET", type="AWS_PROXY",
                                     integrationHttpMethod="POST", uri=URI)
        else:
            cls.boto.put_integration(restApiId=cls.api, resourceId=rid, httpMethod="GET", type="MOCK",
                                     requestTemplates={"application/json": '{"statusCode": 200}'})
            cls.boto.put_integration_response(restApiId=cls.api, resourceId=rid, httpMethod="GET", statusCode="200",
                                              responseTemplates={"application/json": template})
        return rid

    @classmethod
    def tearDownClass(cls):
        cls.boto.close()
        cls.gw.stop()
        cls.fake.close()
        cls.idp.close()
        cls.tmp.cleanup()

    def call(self, path, token=None, api=None):
        headers = {"Authorization": token} if token is not None else {}
        st, h, body, _ = request(self.gw.addr["http"], "GET", f"/_api/{api or self.api}/prod{path}", headers=headers)
        return st, h, json.loads(body) if body else None

    def assert_unauthorized(self, resp, message="Unauthorized"):
        st, h, body = resp
        self.assertEqual((st, body), (401, {"message": message}))
        self.assertEqual(h["x-amzn-errortype"], "UnauthorizedException")

    def test_id_token_reaches_the_lambda_with_its_claims(self):
        st, _, event = self.call("/me", self.pool.token())
        self.assertEqual(st, 200, event)
        az = event["requestContext"]["authorizer"]
        claims = az["claims"]
        self.assertEqual(claims["cognito:username"], "alice")
        self.assertEqual(claims["iss"], self.pool.issuer)
        self.assertEqual(claims["token_use"], "id")
        self.assertEqual(claims["aud"], "app-client-1")
        # REST APIs pass every claim as a string: booleans as text, lists joined, exp/iat as dates.
        self.assertEqual(claims["email_verified"], "true")
        self.assertEqual(claims["cognito:groups"], "admin,users")
        self.assertRegex(claims["exp"], r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$")
        self.assertRegex(claims["auth_time"], r"^\d+$")
        self.assertIsNone(az["scopes"])
        # "Bearer " before the token is accepted as well.
        self.assertEqual(self.call("/me", "Bearer " + self.pool.token())[0], 200)

    def test_claims_in_mapping_templates(self):
        st, _, body = self.call("/claims", self.pool.token())
        self.assertEqual((st, body), (200, {"user": "alice", "email": "alice@example.com", "use": "id"}))

    def test_refusals(self):
        self.assert_unauthorized(self.call("/me"))
        self.assert_unauthorized(self.call("/me", ""))
        self.assert_unauthorized(self.call("/me", "not-a-jwt"))
        self.assert_unauthorized(self.call("/me", self.other.token()))  # a pool the authorizer does not name
        self.assert_unauthorized(self.call("/me", self.pool.token(lifetime=-10)), "The incoming token has expired")
        good = self.pool.token()
        head, payload, sig = good.split(".")
        forged = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        forged["cognito:username"] = "mallory"
        self.assert_unauthorized(self.call("/me", f"{head}.{b64u(json.dumps(forged).encode())}.{sig}"))
        self.assert_unauthorized(self.call("/me", self.pool.token(token_use="refresh")))
        self.assertEqual(len([i for i in self.fake.invocations if i[0] == "echo" and
                              i[2]["requestContext"]["authorizer"]["claims"].get("cognito:username") == "mallory"]), 0)

    def test_scoped_method_needs_an_access_token_with_a_scope(self):
        self.assert_unauthorized(self.call("/orders", self.pool.token()))  # an ID token
        self.assert_unauthorized(self.call("/orders", self.pool.token("access", scope="openid shop/write")))
        st, _, body = self.call("/orders", self.pool.token("access", scope="openid shop/read"))
        self.assertEqual((st, body), (200, {"scopes": "openid shop/read"}))
        # Without method scopes an access token is accepted.
        st, _, event = self.call("/me", self.pool.token("access", scope="openid"))
        self.assertEqual(st, 200)
        self.assertEqual(event["requestContext"]["authorizer"]["scopes"], ["openid"])

    def test_rotated_key_is_fetched_once(self):
        self.assertEqual(self.call("/claims", self.pool.token())[0], 200)
        before = self.idp.jwks_fetches(self.pool.id)
        self.assertGreaterEqual(before, 1)
        self.assertEqual(self.call("/claims", self.pool.token())[0], 200)
        self.assertEqual(self.idp.jwks_fetches(self.pool.id), before)  # cached
        self.pool.rotate()
        # Both workers may hold the old set: each refreshes on the unknown kid, at most once.
        for _ in range(4):
            self.assertEqual(self.call("/claims", self.pool.token())[0], 200)
        self.assertLessEqual(self.idp.jwks_fetches(self.pool.id) - before, 2)

    def test_management_api_shapes_and_errors(self):
        got = self.boto.get_authorizer(restApiId=self.api, authorizerId=self.authorizer["id"])
        self.assertEqual((got["type"], got["providerARNs"], got["identitySource"]),
                         ("COGNITO_USER_POOLS", [self.pool.arn], "method.request.header.Authorization"))
        m = self.boto.get_method(restApiId=self.api, resourceId=self.me, httpMethod="GET")
        self.assertEqual((m["authorizationType"], m["authorizerId"]), ("COGNITO_USER_POOLS", self.authorizer["id"]))
        for arns in (["arn:aws:cognito-idp:us-east-1:123456789012:userpool/"], ["arn:aws:iam::123456789012:user/x"]):
            with self.assertRaises(self.boto.exceptions.BadRequestException):
                self.boto.create_authorizer(restApiId=self.api, name="bad", type="COGNITO_USER_POOLS", providerARNs=arns,
                                            identitySource="method.request.header.Authorization")
        r = aws("apigateway", "create-authorizer", "--rest-api-id", self.api, "--name", "noarns", "--type",
                "COGNITO_USER_POOLS", "--identity-source", "method.request.header.Authorization", *self.ep, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BadRequestException", r.stderr)

    def test_test_invoke_authorizer(self):
        out = json.loads(aws("apigateway", "test-invoke-authorizer", "--rest-api-id", self.api, "--authorizer-id",
                             self.authorizer["id"], "--headers", json.dumps({"Authorization": self.pool.token()}),
                             *self.ep).stdout)
        self.assertEqual(out["clientStatus"], 200, out["log"])
        self.assertEqual((out["claims"]["cognito:username"], out["claims"]["token_use"]), ("alice", "id"))
        self.assertIn("Starting authorizer: " + self.authorizer["id"], out["log"])
        self.assertIsInstance(out["latency"], int)
        expired = self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=self.authorizer["id"],
                                                   headers={"Authorization": self.pool.token(lifetime=-5)})
        self.assertEqual(expired["clientStatus"], 401)
        self.assertIn("The incoming token has expired", expired["log"])
        self.assertNotIn("claims", expired)
        missing = self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=self.authorizer["id"], headers={})
        self.assertEqual(missing["clientStatus"], 401)
        with self.assertRaises(self.boto.exceptions.NotFoundException):
            self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId="nope00", headers={})
        # A malformed simulated request is a 400 naming what is wrong; the gateway keeps serving.
        path = f"/restapis/{self.api}/authorizers/{self.authorizer['id']}"
        for body in (b"{not json", b'{"headers": 5}', b'{"multiValueHeaders": {"a": [1]}}', b'[]'):
            st, h, out, _ = request(self.gw.addr["http"], "POST", path, body=body, headers={"Content-Type": "application/json"})
            self.assertEqual((st, h["x-amzn-errortype"]), (400, "BadRequestException"), body)
            self.assertTrue(json.loads(out)["message"], body)
        # The authorizer as defined now, not as deployed: a second pool added by update-authorizer is
        # tested at once (and the deployed stage still refuses that pool's tokens).
        az = self.authorizer["id"]
        other = self.other.token()
        self.assertEqual(self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=az,
                                                          headers={"Authorization": other})["clientStatus"], 401)
        upd = self.boto.update_authorizer(restApiId=self.api, authorizerId=az, patchOperations=[
            {"op": "add", "path": "/providerARNs", "value": self.other.arn}])
        try:
            self.assertEqual(upd["providerARNs"], [self.pool.arn, self.other.arn])
            out = self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=az, headers={"Authorization": other})
            self.assertEqual((out["clientStatus"], out["claims"]["iss"]), (200, self.other.issuer), out["log"])
            self.assert_unauthorized(self.call("/me", other))
        finally:
            upd = self.boto.update_authorizer(restApiId=self.api, authorizerId=az, patchOperations=[
                {"op": "remove", "path": "/providerARNs", "value": self.other.arn}])
        self.assertEqual(upd["providerARNs"], [self.pool.arn])

    def test_openapi_import(self):
        body = os.path.join(self.tmp.name, "cognito.yaml")
        with open(body, "w") as f:
            f.write(OPENAPI.replace("POOL_ARN", self.pool.arn))
        api = json.loads(aws("apigateway", "import-rest-api", "--body", f"fileb://{body}", *self.ep).stdout)["id"]
        self.boto.create_deployment(restApiId=api, stageName="prod")
        self.assert_unauthorized(self.call("/who", self.pool.token(), api=api))
        st, _, out = self.call("/who", self.pool.token("access", scope="shop/read"), api=api)
        self.assertEqual((st, out), (200, {"scope": "shop/read"}))
        azs = self.boto.get_authorizers(restApiId=api)["items"]
        self.assertEqual([(a["type"], a["providerARNs"]) for a in azs], [("COGNITO_USER_POOLS", [self.pool.arn])])


if __name__ == "__main__":
    unittest.main()
