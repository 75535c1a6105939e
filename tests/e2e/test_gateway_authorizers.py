"""Lambda (REQUEST) and IAM (AWS_IAM) authorizers of HTTP APIs, end to end with the real `cdnlab
lambda` running Node.js functions: aws-cli creates the authorizers and routes; a simple-response
authorizer allows and denies, a missing identity source is 401, answers are cached for the TTL by
identity, an IAM-policy authorizer is matched against the route ARN (payload 1.0), a broken
authorizer is 500; the integration sees requestContext.authorizer.lambda. AWS_IAM routes accept
botocore's SigV4 signature and refuse unsigned / badly signed requests with AWS's 403s."""
import http.client
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import curl  # noqa: E402
from authorizer_e2e import AuthorizerStack, sigv4_headers  # noqa: E402
from gateway_e2e_base import ARN, aws, request  # noqa: E402

FUNCTIONS = """
exports.echo = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" },
                                   body: JSON.stringify(event) });
// Simple responses: the token "allow-*" is authorized; the context carries a value unique to this
// invocation so a test can tell a cached answer from a fresh one.
exports.simple = async (event) => ({
  isAuthorized: event.identitySource[0].startsWith("allow"),
  context: { token: event.identitySource[0], fresh: Math.random().toString(36).slice(2), type: event.type,
             routeArn: event.routeArn, version: event.version },
});
// IAM policy answer (payload 1.0): allow GET on /items/* of this API, deny /items/secret.
exports.policy = async (event) => {
  const base = event.methodArn.split("/").slice(0, 2).join("/");
  return {
    principalId: "user-" + event.authorizationToken,
    policyDocument: { Version: "2012-10-17", Statement: [
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: base + "/GET/items/*" },
      { Action: "execute-api:Invoke", Effect: "Deny", Resource: [base + "/GET/items/secret"] },
    ] },
    context: { who: event.authorizationToken, methodArn: event.methodArn, version: event.version },
  };
};
exports.broken = async () => ({ hello: "no decision here" });
"""

IAM_KEY, IAM_SECRET = "AKIDGATEWAYTEST", "gateway-test-secret"


class Authorizers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = AuthorizerStack(FUNCTIONS, ("echo", "simple", "policy", "broken"), IAM_KEY, IAM_SECRET, "apigatewayv2")
        cls.addClassCleanup(cls.stack.close)  # also when the rest of setUpClass fails
        cls.gw, cls.ep, cls.boto = cls.stack.gw, cls.stack.ep, cls.stack.boto
        api = json.loads(aws("apigatewayv2", "create-api", "--name", "authz", "--protocol-type", "HTTP", *cls.ep).stdout)
        cls.api = api["ApiId"]
        integ = json.loads(aws("apigatewayv2", "create-integration", "--api-id", cls.api, "--integration-type", "AWS_PROXY",
                               "--integration-uri", ARN + "echo", "--payload-format-version", "2.0", *cls.ep).stdout)
        cls.target = "integrations/" + integ["IntegrationId"]
        aws("apigatewayv2", "create-stage", "--api-id", cls.api, "--stage-name", "$default", "--auto-deploy", *cls.ep)

    def authorizer(self, fn, *extra):
        uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN}{fn}/invocations"
        out = aws("apigatewayv2", "create-authorizer", "--api-id", self.api, "--name", fn, "--authorizer-type", "REQUEST",
                  "--authorizer-uri", uri, *extra, *self.ep)
        return json.loads(out.stdout)

    def boto_authorizer(self, fn, **kw):
        uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{ARN}{fn}/invocations"
        return self.boto.create_authorizer(ApiId=self.api, Name=fn, AuthorizerType="REQUEST", AuthorizerUri=uri, **kw)

    def route(self, key, auth_type, authorizer_id=None):
        # boto3 (fast) for the bulk of the setup; aws-cli covers create-api/-integration/-authorizer.
        extra = {"AuthorizerId": authorizer_id} if authorizer_id else {}
        self.boto.create_route(ApiId=self.api, RouteKey=key, Target=self.target, AuthorizationType=auth_type, **extra)

    def call(self, method, path, headers=None):
        return request(self.gw.addr["http"], method, path, host=f"{self.api}.execute-api.localhost", headers=headers)

    def test_simple_responses_cache_and_context(self):
        az = self.authorizer("simple", "--authorizer-payload-format-version", "2.0", "--enable-simple-responses",
                             "--identity-source", "$request.header.x-token", "--authorizer-result-ttl-in-seconds", "300")
        self.assertEqual((az["AuthorizerType"], az["AuthorizerPayloadFormatVersion"], az["EnableSimpleResponses"],
                          az["AuthorizerResultTtlInSeconds"]), ("REQUEST", "2.0", True, 300))
        self.route("GET /simple/{id}", "CUSTOM", az["AuthorizerId"])
        st, _, body, _ = self.call("GET", "/simple/1")
        self.assertEqual((st, json.loads(body)), (401, {"message": "Unauthorized"}))
        st, _, body, _ = self.call("GET", "/simple/1", {"x-token": "deny-me"})
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))
        st, _, body, _ = self.call("GET", "/simple/1", {"x-token": "allow-ann"})
        self.assertEqual(st, 200, body)
        event = json.loads(body)
        lam = event["requestContext"]["authorizer"]["lambda"]
        self.assertEqual((lam["token"], lam["type"], lam["version"]), ("allow-ann", "REQUEST", "2.0"))
        self.assertEqual(lam["routeArn"], f"arn:aws:execute-api:us-east-1:123456789012:{self.api}/$default/GET/simple/1")
        # Cached by identity: the same token gets the same answer (same "fresh" value), even on another path.
        st, _, body2, _ = self.call("GET", "/simple/2", {"x-token": "allow-ann"})
        self.assertEqual(st, 200)
        self.assertEqual(json.loads(body2)["requestContext"]["authorizer"]["lambda"]["fresh"], lam["fresh"])
        st, _, body3, _ = self.call("GET", "/simple/1", {"x-token": "allow-bob"})
        self.assertEqual(st, 200)
        self.assertNotEqual(json.loads(body3)["requestContext"]["authorizer"]["lambda"]["fresh"], lam["fresh"])

    def test_uncached_authorizer_is_asked_every_time(self):
        az = self.boto_authorizer("simple", AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
                                  IdentitySource=["$request.querystring.key"])
        self.route("GET /nocache", "CUSTOM", az["AuthorizerId"])
        fresh = set()
        for _ in range(2):
            st, _, body, _ = self.call("GET", "/nocache?key=allow-1")
            self.assertEqual(st, 200, body)
            fresh.add(json.loads(body)["requestContext"]["authorizer"]["lambda"]["fresh"])
        self.assertEqual(len(fresh), 2)

    def test_policy_responses_payload_1(self):
        az = self.boto_authorizer("policy", AuthorizerPayloadFormatVersion="1.0",
                                  IdentitySource=["$request.header.Authorization"], AuthorizerResultTtlInSeconds=60)
        self.route("GET /items/{id}", "CUSTOM", az["AuthorizerId"])
        self.route("POST /items/{id}", "CUSTOM", az["AuthorizerId"])
        st, _, body, _ = self.call("GET", "/items/7", {"Authorization": "ann"})
        self.assertEqual(st, 200, body)
        got = json.loads(body)["requestContext"]["authorizer"]
        self.assertEqual(got["lambda"]["who"], "ann")
        self.assertEqual(got["lambda"]["version"], "1.0")
        self.assertEqual(got["principalId"], "user-ann")
        self.assertTrue(got["lambda"]["methodArn"].endswith("/$default/GET/items/7"))
        # The same cached policy, checked against other route ARNs: Deny wins, no Allow -> 403.
        st, _, body, _ = self.call("GET", "/items/secret", {"Authorization": "ann"})
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))
        st, _, body, _ = self.call("POST", "/items/7", {"Authorization": "ann"})
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))

    def test_broken_authorizer_is_500_and_bad_definitions_refused(self):
        az = self.boto_authorizer("broken", AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
                                  IdentitySource=["$request.header.x-token"])
        self.route("GET /broken", "CUSTOM", az["AuthorizerId"])
        st, _, body, _ = self.call("GET", "/broken", {"x-token": "t"})
        self.assertEqual((st, json.loads(body)), (500, {"message": "Internal Server Error"}))
        bad = aws("apigatewayv2", "create-authorizer", "--api-id", self.api, "--name", "x", "--authorizer-type", "REQUEST",
                  "--authorizer-uri", ARN + "simple", "--authorizer-payload-format-version", "1.0", "--enable-simple-responses",
                  "--identity-source", "$request.header.x", *self.ep, check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("BadRequestException", bad.stderr)
        bad = aws("apigatewayv2", "create-authorizer", "--api-id", self.api, "--name", "x", "--authorizer-type", "REQUEST",
                  "--authorizer-uri", ARN + "simple", "--authorizer-payload-format-version", "2.0",
                  "--identity-source", "header.x", *self.ep, check=False)
        self.assertIn("BadRequestException", bad.stderr)

    # --- AWS_IAM --------------------------------------------------------------------------------

    def signed(self, method, path, secret=IAM_SECRET, body=b""):
        host = f"{self.api}.execute-api.localhost"
        url = f"http://{host}{path}"
        headers = sigv4_headers(method, url, IAM_KEY, secret, body, {"Host": host})
        c = http.client.HTTPConnection(*self.gw.addr["http"], timeout=10)
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        out = (r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        c.close()
        return out

    def test_iam_authorization(self):
        self.route("ANY /iam/{proxy+}", "AWS_IAM")
        st, hdrs, body = self.signed("POST", "/iam/a/b?x=1", body=b'{"k":1}')
        self.assertEqual(st, 200, body)
        iam = json.loads(body)["requestContext"]["authorizer"]["iam"]
        self.assertEqual((iam["accessKey"], iam["accountId"], iam["userId"]), (IAM_KEY, "123456789012", IAM_KEY))
        # Unsigned (curl): 403 Forbidden.
        st, hdrs, body = curl("-H", f"Host: {self.api}.execute-api.localhost", self.gw.url() + "/iam/a")
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))
        # Wrong secret: AWS's signature-mismatch message.
        st, hdrs, body = self.signed("GET", "/iam/a", secret="wrong")
        self.assertEqual(st, 403)
        self.assertEqual(hdrs["x-amzn-errortype"], "InvalidSignatureException")
        self.assertIn("The request signature we calculated does not match", json.loads(body)["message"])
        # Unknown key.
        st, _, body, _ = self.call("GET", "/iam/a", {
            "Authorization": "AWS4-HMAC-SHA256 Credential=NOPE/20240101/us-east-1/execute-api/aws4_request, "
                             "SignedHeaders=host, Signature=00", "X-Amz-Date": "20240101T000000Z"})
        self.assertEqual((st, json.loads(body)), (403, {"message": "The security token included in the request is invalid."}))


if __name__ == "__main__":
    unittest.main()
