"""REST API (v1) authorization end to end, with the real `cdnlab lambda` running Node.js
authorizer functions: aws-cli creates a TOKEN authorizer and puts a CUSTOM method on it; a token
that is missing or fails identityValidationExpression is 401 without calling the function, an
allowed token reaches the integration with requestContext.authorizer (principalId, context), the
answer is cached per token for the TTL, an explicit Deny is 403 with AWS's message, a function
answering "Unauthorized" is 401 and a broken one 500 {"message": null}; a REQUEST authorizer
(boto3, attached with update-method) gets AWS's REQUEST event; an API whose apiKeySource is
AUTHORIZER meters the authorizer's usageIdentifierKey and templates read $context.authorizer.*;
an AWS_IAM method accepts botocore's
SigV4 signature and refuses unsigned requests with "Missing Authentication Token"."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from authorizer_e2e import AuthorizerStack, sigv4_headers  # noqa: E402
from gateway_e2e_base import ARN, aws, request  # noqa: E402

FUNCTIONS = r"""
exports.echo = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" },
                                   body: JSON.stringify(event) });
// TOKEN authorizer: "allow-*" may call every method of the stage, "deny-*" is denied explicitly,
// "unauth-*" is refused with the error API Gateway reads as 401, "broken-*" answers no policy.
// `fresh` is unique per invocation, so a test tells a cached answer from a new one.
exports.token = async (event) => {
  const t = event.authorizationToken;
  if (t.startsWith("unauth")) throw new Error("Unauthorized");
  if (t.startsWith("broken")) return { hello: "no policy" };
  const stage = event.methodArn.split("/").slice(0, 2).join("/");
  return {
    principalId: "user-" + t,
    policyDocument: { Version: "2012-10-17", Statement: [
      { Action: "execute-api:Invoke", Effect: t.startsWith("allow") ? "Allow" : "Deny", Resource: stage + "/*" }] },
    context: { who: t, fresh: Math.random().toString(36).slice(2), type: event.type, methodArn: event.methodArn,
               keys: Object.keys(event).sort().join(",") },
    // The API key of an API whose apiKeySource is AUTHORIZER.
    usageIdentifierKey: t.startsWith("allow-key") ? "rest-authorizer-test-key-0001" : undefined,
  };
};
// REQUEST authorizer: allows when header x-user equals query parameter user; the event's shape
// goes back in the context (a string: API Gateway takes only primitive context values).
exports.request = async (event) => ({
  principalId: event.headers["x-user"] || "nobody",
  policyDocument: { Version: "2012-10-17", Statement: [
    { Action: "execute-api:Invoke", Resource: event.methodArn,
      Effect: event.headers["x-user"] === (event.queryStringParameters || {}).user ? "Allow" : "Deny" }] },
  context: { event: JSON.stringify({ type: event.type, methodArn: event.methodArn, resource: event.resource,
                                     path: event.path, httpMethod: event.httpMethod, query: event.queryStringParameters,
                                     stage: event.requestContext.stage, hasBody: "body" in event }) },
});
"""

IAM_KEY, IAM_SECRET = "AKIDRESTAUTHTEST", "rest-auth-secret"
URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + ARN + "{}/invocations"


class RestAuthorizers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = AuthorizerStack(FUNCTIONS, ("echo", "token", "request"), IAM_KEY, IAM_SECRET, "apigateway")
        cls.addClassCleanup(cls.stack.close)  # also when the rest of setUpClass fails
        cls.gw, cls.ep, cls.boto = cls.stack.gw, cls.stack.ep, cls.stack.boto
        cls.api = json.loads(aws("apigateway", "create-rest-api", "--name", "authz", *cls.ep).stdout)["id"]
        root = cls.boto.get_resources(restApiId=cls.api)["items"][0]["id"]
        # aws-cli: the TOKEN authorizer and the CUSTOM method that uses it.
        cls.token_az = json.loads(aws(
            "apigateway", "create-authorizer", "--rest-api-id", cls.api, "--name", "tok", "--type", "TOKEN",
            "--authorizer-uri", URI.format("token"), "--identity-source", "method.request.header.Authorization",
            "--identity-validation-expression", "^(allow|deny|unauth|broken)-[a-z0-9]+$", *cls.ep).stdout)
        cls.items = cls.resource(root, "items")
        aws("apigateway", "put-method", "--rest-api-id", cls.api, "--resource-id", cls.items, "--http-method", "GET",
            "--authorization-type", "CUSTOM", "--authorizer-id", cls.token_az["id"], *cls.ep)
        cls.proxy(cls.items, "GET")
        # A REQUEST authorizer (boto3), attached below with update-method.
        cls.request_az = cls.boto.create_authorizer(
            restApiId=cls.api, name="req", type="REQUEST", authorizerUri=URI.format("request"),
            identitySource="method.request.header.x-user, method.request.querystring.user", authorizerResultTtlInSeconds=0)
        cls.orders = cls.resource(root, "orders")
        cls.boto.put_method(restApiId=cls.api, resourceId=cls.orders, httpMethod="GET", authorizationType="NONE")
        cls.boto.update_method(restApiId=cls.api, resourceId=cls.orders, httpMethod="GET", patchOperations=[
            {"op": "replace", "path": "/authorizationType", "value": "CUSTOM"},
            {"op": "replace", "path": "/authorizerId", "value": cls.request_az["id"]}])
        cls.proxy(cls.orders, "GET")
        # An AWS_IAM method.
        cls.signed = cls.resource(root, "signed")
        cls.boto.put_method(restApiId=cls.api, resourceId=cls.signed, httpMethod="GET", authorizationType="AWS_IAM")
        cls.proxy(cls.signed, "GET")
        # An AWS_IAM method whose MOCK template reads $context.identity.*.
        whoami = cls.resource(root, "whoami")
        cls.boto.put_method(restApiId=cls.api, resourceId=whoami, httpMethod="GET", authorizationType="AWS_IAM")
        cls.boto.put_integration(restApiId=cls.api, resourceId=whoami, httpMethod="GET", type="MOCK",
                                 requestTemplates={"application/json": '{"statusCode": 200}'})
        cls.boto.put_integration_response(
            restApiId=cls.api, resourceId=whoami, httpMethod="GET", statusCode="200",
            responseTemplates={"application/json": '{"key": "$context.identity.accessKey", "arn": "$context.identity.userArn", '
                                                   '"caller": "$context.identity.caller", "account": "$context.identity.accountId"}'})
        aws("apigateway", "create-deployment", "--rest-api-id", cls.api, "--stage-name", "prod", *cls.ep)

    @classmethod
    def resource(cls, parent, part):
        return cls.boto.create_resource(restApiId=cls.api, parentId=parent, pathPart=part)["id"]

    @classmethod
    def proxy(cls, rid, method):
        cls.boto.put_integration(restApiId=cls.api, resourceId=rid, httpMethod=method, type="AWS_PROXY",
                                 integrationHttpMethod="POST", uri=URI.format("echo"))

    def call(self, method, path, headers=None):
        st, h, body, _ = request(self.gw.addr["http"], method, path, host=f"{self.api}.execute-api.localhost", headers=headers)
        return st, h, json.loads(body) if body else None

    def test_token_authorizer_allows_caches_and_passes_context(self):
        st, _, body = self.call("GET", "/prod/items", {"Authorization": "allow-ann"})
        self.assertEqual(st, 200, body)
        az = body["requestContext"]["authorizer"]
        self.assertEqual(az["principalId"], "user-allow-ann")
        self.assertEqual(az["who"], "allow-ann")
        self.assertEqual(az["type"], "TOKEN")
        self.assertEqual(az["keys"], "authorizationToken,methodArn,type")
        self.assertEqual(az["methodArn"], f"arn:aws:execute-api:us-east-1:123456789012:{self.api}/prod/GET/items")
        self.assertIn("integrationLatency", az)
        # Cached by token for the default TTL (300 s): the same answer, not a new invocation.
        _, _, again = self.call("GET", "/prod/items", {"Authorization": "allow-ann"})
        self.assertEqual(again["requestContext"]["authorizer"]["fresh"], az["fresh"])
        _, _, other = self.call("GET", "/prod/items", {"Authorization": "allow-bob"})
        self.assertNotEqual(other["requestContext"]["authorizer"]["fresh"], az["fresh"])
        self.assertEqual(self.token_az["authorizerResultTtlInSeconds"], 300)

    def test_token_authorizer_refusals(self):
        self.assertEqual(self.call("GET", "/prod/items")[0::2], (401, {"message": "Unauthorized"}))
        st, h, body = self.call("GET", "/prod/items", {"Authorization": "Bearer not-matching"})
        self.assertEqual((st, body), (401, {"message": "Unauthorized"}))
        self.assertEqual(h["x-amzn-errortype"], "UnauthorizedException")
        st, h, body = self.call("GET", "/prod/items", {"Authorization": "deny-carl"})
        self.assertEqual((st, body), (403, {"message": "User is not authorized to access this resource with an explicit deny"}))
        self.assertEqual(h["x-amzn-errortype"], "AccessDeniedException")
        self.assertEqual(self.call("GET", "/prod/items", {"Authorization": "unauth-dan"})[0::2], (401, {"message": "Unauthorized"}))
        st, h, body = self.call("GET", "/prod/items", {"Authorization": "broken-eve"})
        self.assertEqual((st, body), (500, {"message": None}))
        self.assertEqual(h["x-amzn-errortype"], "AuthorizerConfigurationException")

    def test_request_authorizer_event_and_policy(self):
        st, _, body = self.call("GET", "/prod/orders?user=ann", {"x-user": "ann"})
        self.assertEqual(st, 200, body)
        az = body["requestContext"]["authorizer"]
        self.assertEqual(az["principalId"], "ann")
        seen = json.loads(az["event"])
        self.assertEqual(seen, {"type": "REQUEST", "methodArn": f"arn:aws:execute-api:us-east-1:123456789012:{self.api}/prod/GET/orders",
                                "resource": "/orders", "path": "/orders", "httpMethod": "GET", "query": {"user": "ann"},
                                "stage": "prod", "hasBody": False})
        st, _, body = self.call("GET", "/prod/orders?user=bob", {"x-user": "ann"})
        self.assertEqual((st, body), (403, {"message": "User is not authorized to access this resource with an explicit deny"}))

    def test_management_api(self):
        got = self.boto.get_authorizers(restApiId=self.api)["items"]
        self.assertEqual(sorted(a["name"] for a in got), ["req", "tok"])
        one = self.boto.get_authorizer(restApiId=self.api, authorizerId=self.token_az["id"])
        self.assertEqual((one["type"], one["identitySource"]), ("TOKEN", "method.request.header.Authorization"))
        method = self.boto.get_method(restApiId=self.api, resourceId=self.orders, httpMethod="GET")
        self.assertEqual((method["authorizationType"], method["authorizerId"]), ("CUSTOM", self.request_az["id"]))
        # In use: not deleted. A TOKEN authorizer must read one header; a method must name an authorizer that exists.
        with self.assertRaises(self.boto.exceptions.ConflictException):
            self.boto.delete_authorizer(restApiId=self.api, authorizerId=self.token_az["id"])
        r = aws("apigateway", "create-authorizer", "--rest-api-id", self.api, "--name", "bad", "--type", "TOKEN",
                "--authorizer-uri", URI.format("token"), "--identity-source", "method.request.querystring.t", *self.ep,
                check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BadRequestException", r.stderr)
        with self.assertRaises(self.boto.exceptions.BadRequestException):
            self.boto.update_method(restApiId=self.api, resourceId=self.orders, httpMethod="GET",
                                    patchOperations=[{"op": "replace", "path": "/authorizerId", "value": "nope"}])

    def test_test_invoke_authorizer(self):
        az = self.token_az["id"]
        out = self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=az, headers={"Authorization": "allow-tia"},
                                               pathWithQueryString="/items?x=1")
        self.assertEqual((out["clientStatus"], out["principalId"]), (200, "user-allow-tia"), out["log"])
        policy = json.loads(out["policy"])
        stage_arn = f"arn:aws:execute-api:us-east-1:123456789012:{self.api}/ESTestInvoke-stage"
        self.assertEqual(policy["Statement"][0], {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": stage_arn + "/*"})
        self.assertIn("Incoming identity: allow-tia", out["log"])
        self.assertIn('"methodArn":"' + stage_arn + '/GET/items"', out["log"])
        # What the client would have received for the other answers.
        for token, status in (("deny-tia", 403), ("unauth-tia", 401), ("broken-tia", 500), ("Bearer x", 401)):
            got = self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=az, headers={"Authorization": token})
            self.assertEqual(got["clientStatus"], status, token)
        self.assertEqual(self.boto.test_invoke_authorizer(restApiId=self.api, authorizerId=az, headers={})["clientStatus"], 401)
        # aws-cli, a REQUEST authorizer: the query string of pathWithQueryString and the headers reach the event.
        out = json.loads(aws("apigateway", "test-invoke-authorizer", "--rest-api-id", self.api, "--authorizer-id",
                             self.request_az["id"], "--headers", "x-user=ann", "--path-with-query-string", "/orders?user=ann",
                             *self.ep).stdout)
        self.assertEqual((out["clientStatus"], out["principalId"]), (200, "ann"), out["log"])
        self.assertIn('"queryStringParameters":{"user":"ann"}', out["log"])

    def test_api_key_from_the_authorizer(self):
        api = self.boto.create_rest_api(name="metered", apiKeySource="AUTHORIZER")["id"]
        root = self.boto.get_resources(restApiId=api)["items"][0]["id"]
        az = self.boto.create_authorizer(restApiId=api, name="tok", type="TOKEN", authorizerUri=URI.format("token"),
                                         identitySource="method.request.header.Authorization")
        rid = self.boto.create_resource(restApiId=api, parentId=root, pathPart="m")["id"]
        self.boto.put_method(restApiId=api, resourceId=rid, httpMethod="GET", authorizationType="CUSTOM",
                             authorizerId=az["id"], apiKeyRequired=True)
        self.boto.put_integration(restApiId=api, resourceId=rid, httpMethod="GET", type="MOCK",
                                  requestTemplates={"application/json": '{"statusCode": 200}'})
        self.boto.put_integration_response(restApiId=api, resourceId=rid, httpMethod="GET", statusCode="200",
                                           responseTemplates={"application/json": '{"key": "$context.identity.apiKeyId", '
                                                                                  '"who": "$context.authorizer.who"}'})
        self.boto.create_deployment(restApiId=api, stageName="prod")
        key = self.boto.create_api_key(name="k", enabled=True, value="rest-authorizer-test-key-0001")
        plan = self.boto.create_usage_plan(name="p", apiStages=[{"apiId": api, "stage": "prod"}])
        self.boto.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
        path = f"/_api/{api}/prod/m"
        st, _, body, _ = request(self.gw.addr["http"], "GET", path, headers={"Authorization": "allow-key1"})
        self.assertEqual((st, json.loads(body)), (200, {"key": key["id"], "who": "allow-key1"}))
        # Allowed by the authorizer but without a usageIdentifierKey: no API key, 403.
        st, _, body, _ = request(self.gw.addr["http"], "GET", path, headers={"Authorization": "allow-nokey"})
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))

    def test_iam_method(self):
        url = self.gw.url() + f"/_api/{self.api}/prod/signed"
        st, _, body, _ = request(self.gw.addr["http"], "GET", f"/_api/{self.api}/prod/signed")
        self.assertEqual((st, json.loads(body)), (403, {"message": "Missing Authentication Token"}))
        st, _, body, _ = request(self.gw.addr["http"], "GET", f"/_api/{self.api}/prod/signed",
                                 headers=sigv4_headers("GET", url, IAM_KEY, IAM_SECRET))
        self.assertEqual(st, 200, body)
        # requestContext.identity names the signer, as in AWS's example event for an IAM caller.
        identity = json.loads(body)["requestContext"]["identity"]
        self.assertEqual({k: identity[k] for k in ("accessKey", "accountId", "caller", "user", "userArn")},
                         {"accessKey": IAM_KEY, "accountId": "123456789012", "caller": IAM_KEY, "user": IAM_KEY,
                          "userArn": f"arn:aws:iam::123456789012:user/{IAM_KEY}"})
        for k in ("cognitoAuthenticationProvider", "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId"):
            self.assertIsNone(identity[k])
        self.assertEqual(identity["sourceIp"], "127.0.0.1")
        st, _, body, _ = request(self.gw.addr["http"], "GET", f"/_api/{self.api}/prod/whoami",
                                 headers=sigv4_headers("GET", self.gw.url() + f"/_api/{self.api}/prod/whoami", IAM_KEY, IAM_SECRET))
        self.assertEqual((st, json.loads(body)), (200, {"key": IAM_KEY, "arn": f"arn:aws:iam::123456789012:user/{IAM_KEY}",
                                                        "caller": IAM_KEY, "account": "123456789012"}))
        st, h, body, _ = request(self.gw.addr["http"], "GET", f"/_api/{self.api}/prod/signed",
                                 headers=sigv4_headers("GET", url, IAM_KEY, "wrong"))
        self.assertEqual(st, 403)
        self.assertIn("signature", json.loads(body)["message"])


if __name__ == "__main__":
    unittest.main()
