"""`cdnlab gateway` HTTP APIs end to end: aws-cli (apigatewayv2) and boto3 deploy through the
management API, HTTP clients invoke by Host and by the /_api/<apiId> path form. Lambda proxy
integrations go to a fake Lambda Invoke API and the payload 2.0 / 1.0 events it receives are
checked member by member; the response rules; bad input refused with AWS's errors."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from gateway_e2e_base import ARN, GatewayCase, aws, request  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402


class GatewayHttpApi(GatewayCase):
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
