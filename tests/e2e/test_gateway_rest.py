"""REST APIs (v1) end to end: a real `cdnlab store` and `cdnlab gateway`; aws-cli imports a
Swagger file whose methods do GetItem / PutItem / Query on the store through mapping templates,
boto3 builds a MOCK API method by method, API keys and usage plans meter a method (403 Forbidden,
429 Limit Exceeded / Too Many Requests, get-usage), the stage cache answers repeats, and the API
survives a restart."""
import datetime
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
SWAGGER = os.path.join(os.path.dirname(__file__), "data", "rest_items_swagger.yaml")


def aws(*args):
    r = subprocess.run([AWS, *args], capture_output=True, text=True, env=ENV, timeout=60)
    return r


class RestApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = os.path.join(cls.tmp.name, "gw")
        cls.store = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        cls.fake = FakeLambda()
        cls.upstream = EchoUpstream()
        cls.gw = cls.start_gateway()
        session = boto3.session.Session()
        kw = dict(region_name="us-east-1", aws_access_key_id="AKIDTEST", aws_secret_access_key="secret",
                  config=Config(retries={"max_attempts": 1}))
        cls.ddb = session.client("dynamodb", endpoint_url=cls.store.url(), **kw)
        cls.apigw = session.client("apigateway", endpoint_url=cls.gw.url(), **kw)
        cls.ddb.create_table(
            TableName="items", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                  {"AttributeName": "owner", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-owner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}])
        # aws-cli deploys the Swagger file.
        r = aws("apigateway", "import-rest-api", "--body", f"fileb://{SWAGGER}", "--endpoint-url", cls.gw.url())
        assert r.returncode == 0, r.stderr
        cls.api_id = json.loads(r.stdout)["id"]
        r = aws("apigateway", "create-deployment", "--rest-api-id", cls.api_id, "--stage-name", "prod",
                "--variables", "table=items", "--endpoint-url", cls.gw.url())
        assert r.returncode == 0, r.stderr

    @classmethod
    def start_gateway(cls):
        return Proc(["gateway", "--listen", "127.0.0.1:0", "--data", cls.data, "--store-endpoint", cls.store.url(),
                     "--lambda-endpoint", cls.fake.url, "--workers", "2"])

    @classmethod
    def tearDownClass(cls):
        cls.apigw.close()
        cls.ddb.close()
        cls.gw.stop()
        cls.store.stop()
        cls.fake.close()
        cls.upstream.close()
        cls.tmp.cleanup()

    def call(self, method, path, body=None, headers=None, api_id=None):
        c = http.client.HTTPConnection(*self.gw.addr["http"], timeout=10)
        h = {"Host": f"{api_id or self.api_id}.execute-api.localhost", **(headers or {})}
        if body is not None:
            h.setdefault("Content-Type", "application/json")
            body = json.dumps(body)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        out = (r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        c.close()
        return out

    def test_1_dynamodb_through_templates(self):
        st, h, body = self.call("POST", "/prod/items", {"id": "7", "owner": "ann", "name": 'lamp "x"', "tags": ["a", "b"]})
        self.assertEqual(st, 201, body)
        self.assertEqual(h["x-created-by"], "gateway")
        self.assertEqual(json.loads(body)["created"], h["x-amzn-requestid"])
        self.call("POST", "/prod/items", {"id": "8", "owner": "ann", "name": "desk", "tags": []})
        self.call("POST", "/prod/items", {"id": "9", "owner": "bob", "name": "pen", "tags": ["c"]})
        # The store holds exactly what the request template wrote.
        item = self.ddb.get_item(TableName="items", Key={"id": {"S": "7"}})["Item"]
        self.assertEqual(item, {"id": {"S": "7"}, "owner": {"S": "ann"}, "name": {"S": 'lamp "x"'},
                                "tags": {"L": [{"S": "a"}, {"S": "b"}]}})
        st, _, body = self.call("GET", "/prod/items/7")
        self.assertEqual(st, 200, body)
        self.assertEqual(json.loads(body), {"id": "7", "owner": "ann", "name": 'lamp "x"', "tags": ["a", "b"]})
        st, _, body = self.call("GET", "/prod/items?owner=ann")
        self.assertEqual(st, 200, body)
        got = json.loads(body)
        self.assertEqual(got["count"], 2)
        self.assertEqual(sorted(i["id"] for i in got["items"]), ["7", "8"])
        # $context.responseOverride.status from the response template.
        st, _, body = self.call("GET", "/prod/items/404")
        self.assertEqual((st, json.loads(body)), (404, {"message": "no item 404"}))
        # The store's 400 selects the "4\d{2}" integration response.
        st, _, body = self.call("POST", "/prod/items", {"owner": "x"})  # no id: empty key
        self.assertEqual(st, 400, body)
        self.assertIn("error", json.loads(body))
        # Not JSON while the template reads the body as JSON: AWS's 400.
        st, body = self.raw("POST", "/prod/items", b"{not json", {"Content-Type": "application/json"})
        self.assertEqual(st, 400)
        self.assertIn("Could not parse request body into json", json.loads(body)["message"])

    def raw(self, method, path, data, headers):
        c = http.client.HTTPConnection(*self.gw.addr["http"], timeout=10)
        c.request(method, path, body=data, headers={"Host": f"{self.api_id}.execute-api.localhost", **headers})
        r = c.getresponse()
        out = (r.status, r.read())
        c.close()
        return out

    def test_2_missing_authentication_token_and_mock(self):
        for method, path in [("GET", "/prod/nothing"), ("DELETE", "/prod/items/7"), ("GET", "/dev/items/7"), ("GET", "/")]:
            st, h, body = self.call(method, path)
            self.assertEqual((st, json.loads(body)), (403, {"message": "Missing Authentication Token"}), (method, path))
            self.assertEqual(h["x-amzn-errortype"], "MissingAuthenticationTokenException")
        st, _, body = self.call("GET", "/prod/mock?tea=yes")
        self.assertEqual((st, json.loads(body)), (418, {"teapot": True}))
        st, _, body = self.call("GET", "/prod/mock")
        self.assertEqual((st, json.loads(body)), (200, {"mock": "prod", "path": "/mock"}))
        # The path form for clients that cannot set Host.
        c = http.client.HTTPConnection(*self.gw.addr["http"], timeout=10)
        c.request("GET", f"/_api/{self.api_id}/prod/mock")
        r = c.getresponse()
        self.assertEqual((r.status, json.loads(r.read())), (200, {"mock": "prod", "path": "/mock"}))
        c.close()

    def test_3_boto3_builds_an_api_method_by_method(self):
        api = self.apigw.create_rest_api(name="built")
        # (Debian's botocore predates RestApi.rootResourceId: find the root as older SDKs do.)
        root = [r["id"] for r in self.apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/"][0]
        res = self.apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="hello")
        self.assertEqual(res["path"], "/hello")
        with self.assertRaises(ClientError) as e:
            self.apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="hello")
        self.assertEqual(e.exception.response["Error"]["Code"], "ConflictException")
        self.apigw.put_method(restApiId=api["id"], resourceId=res["id"], httpMethod="GET", authorizationType="NONE")
        self.apigw.put_integration(restApiId=api["id"], resourceId=res["id"], httpMethod="GET", type="MOCK",
                                   requestTemplates={"application/json": '{"statusCode": 200}'})
        self.apigw.put_method_response(restApiId=api["id"], resourceId=res["id"], httpMethod="GET", statusCode="200")
        self.apigw.put_integration_response(
            restApiId=api["id"], resourceId=res["id"], httpMethod="GET", statusCode="200", selectionPattern="",
            responseTemplates={"application/json": '{"hello": "$input.params(\'who\')"}'})
        with self.assertRaises(ClientError) as e:
            self.apigw.put_integration_response(
                restApiId=api["id"], resourceId=res["id"], httpMethod="GET", statusCode="500", selectionPattern="5\\d{2}",
                responseTemplates={"application/json": "#foreach($x in [1..3])\n  #macro(m)\n#end"})
        self.assertEqual(e.exception.response["Error"]["Code"], "BadRequestException")
        self.assertIn("application/json:2:3: #macro is not supported", e.exception.response["Error"]["Message"])
        # Nothing is served before a deployment; then the stage serves it.
        self.assertEqual(self.call("GET", "/v1/hello", api_id=api["id"])[0], 403)
        self.apigw.create_deployment(restApiId=api["id"], stageName="v1")
        st, _, body = self.call("GET", "/v1/hello?who=ann", api_id=api["id"])
        self.assertEqual((st, json.loads(body)), (200, {"hello": "ann"}))
        method = self.apigw.get_method(restApiId=api["id"], resourceId=res["id"], httpMethod="GET")
        self.assertEqual(method["methodIntegration"]["type"], "MOCK")
        self.assertEqual(set(method["methodIntegration"]["integrationResponses"]), {"200"})
        self.assertIn(api["id"], [a["id"] for a in self.apigw.get_rest_apis()["items"]])
        self.assertEqual([s["stageName"] for s in self.apigw.get_stages(restApiId=api["id"])["item"]], ["v1"])
        with self.assertRaises(ClientError) as e:
            self.apigw.get_rest_api(restApiId="nope")
        self.assertEqual(e.exception.response["Error"]["Code"], "NotFoundException")
        self.apigw.delete_rest_api(restApiId=api["id"])
        st, _, body = self.call("GET", "/v1/hello", api_id=api["id"])  # no such API any more
        self.assertEqual((st, json.loads(body)), (404, {"message": "Not Found"}))

    def test_4_api_keys_and_usage_plans(self):
        self.assertEqual(self.call("GET", "/prod/metered")[0], 403)
        key = self.apigw.create_api_key(name="ann", enabled=True)
        self.assertGreaterEqual(len(key["value"]), 20)
        plan = self.apigw.create_usage_plan(name="bronze", apiStages=[{"apiId": self.api_id, "stage": "prod"}],
                                            quota={"limit": 3, "period": "DAY"}, throttle={"rateLimit": 100, "burstLimit": 100})
        # A key that is in no plan for this stage is refused like a wrong one.
        st, h, body = self.call("GET", "/prod/metered", headers={"x-api-key": key["value"]})
        self.assertEqual((st, json.loads(body)), (403, {"message": "Forbidden"}))
        self.assertEqual(self.call("GET", "/prod/metered", headers={"x-api-key": "x" * 40})[0], 403)
        self.apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
        for _ in range(3):
            st, _, body = self.call("GET", "/prod/metered", headers={"x-api-key": key["value"]})
            self.assertEqual((st, json.loads(body)), (200, {"key": key["id"]}))
        st, h, body = self.call("GET", "/prod/metered", headers={"x-api-key": key["value"]})
        self.assertEqual((st, json.loads(body)), (429, {"message": "Limit Exceeded"}))
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        usage = self.apigw.get_usage(usagePlanId=plan["id"], startDate=today, endDate=today)
        self.assertEqual(usage["items"], {key["id"]: [[3, 0]]})
        # Throttle: a bucket of one that refills every 100 s.
        slow = self.apigw.create_api_key(name="bob", enabled=True, value="bob-key-0123456789abcdef")
        tplan = self.apigw.create_usage_plan(name="slow", apiStages=[{"apiId": self.api_id, "stage": "prod"}],
                                             throttle={"rateLimit": 0.01, "burstLimit": 1})
        self.apigw.create_usage_plan_key(usagePlanId=tplan["id"], keyId=slow["id"], keyType="API_KEY")
        self.assertEqual(self.call("GET", "/prod/metered", headers={"x-api-key": slow["value"]})[0], 200)
        st, _, body = self.call("GET", "/prod/metered", headers={"x-api-key": slow["value"]})
        self.assertEqual((st, json.loads(body)), (429, {"message": "Too Many Requests"}))
        keys = self.apigw.get_api_keys(includeValues=True)["items"]
        self.assertIn(slow["value"], [k.get("value") for k in keys])

    def test_5_stage_cache(self):
        self.call("POST", "/prod/items", {"id": "c1", "owner": "cat", "name": "v1", "tags": []})
        self.apigw.update_stage(restApiId=self.api_id, stageName="prod", patchOperations=[
            {"op": "replace", "path": "/cacheClusterEnabled", "value": "true"},
            {"op": "replace", "path": "/*/*/caching/enabled", "value": "true"},
            {"op": "replace", "path": "/*/*/caching/ttlInSeconds", "value": "300"}])
        stage = self.apigw.get_stage(restApiId=self.api_id, stageName="prod")
        self.assertTrue(stage["cacheClusterEnabled"])
        self.assertEqual(json.loads(self.call("GET", "/prod/items/c1")[2])["name"], "v1")
        self.ddb.put_item(TableName="items", Item={"id": {"S": "c1"}, "owner": {"S": "cat"}, "name": {"S": "v2"},
                                                   "tags": {"L": []}})
        # Within the TTL the cached answer comes back; Cache-Control: max-age=0 needs authorization (ignored).
        self.assertEqual(json.loads(self.call("GET", "/prod/items/c1")[2])["name"], "v1")
        self.assertEqual(json.loads(self.call("GET", "/prod/items/c1", headers={"Cache-Control": "max-age=0"})[2])["name"], "v1")
        c = http.client.HTTPConnection(*self.gw.addr["http"], timeout=10)
        c.request("GET", "/metrics")
        metrics = c.getresponse().read().decode()
        c.close()
        self.assertIn(f'cdnlab_gateway_cache_hits_total{{api="{self.api_id}",stage="prod"}} 2', metrics)
        self.apigw.flush_stage_cache(restApiId=self.api_id, stageName="prod")
        self.assertEqual(json.loads(self.call("GET", "/prod/items/c1")[2])["name"], "v2")
        self.apigw.update_stage(restApiId=self.api_id, stageName="prod", patchOperations=[
            {"op": "replace", "path": "/cacheClusterEnabled", "value": "false"}])

    def test_6_survives_a_restart(self):
        type(self).gw.stop()
        type(self).gw = self.start_gateway()  # same --data
        self.apigw.close()
        type(self).apigw = boto3.session.Session().client("apigateway", endpoint_url=self.gw.url(), region_name="us-east-1",
                                                          aws_access_key_id="x", aws_secret_access_key="x",
                                                          config=Config(retries={"max_attempts": 1}))
        self.assertIn(self.api_id, [a["id"] for a in self.apigw.get_rest_apis()["items"]])
        st, _, body = self.call("GET", "/prod/items/7")
        self.assertEqual(st, 200, body)
        self.assertEqual(json.loads(body)["owner"], "ann")

    def test_7_bad_import_is_refused_with_its_line(self):
        bad = os.path.join(self.tmp.name, "bad.yaml")
        with open(bad, "w") as f:
            f.write("openapi: 3.0.1\ninfo: {title: bad}\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n"
                    "        type: soap\n")
        r = aws("apigateway", "import-rest-api", "--body", f"fileb://{bad}", "--endpoint-url", self.gw.url())
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BadRequestException", r.stderr)
        self.assertIn("body:7: paths./a.get.x-amazon-apigateway-integration.type: unknown integration type 'soap'", r.stderr)

    def test_8_lambda_proxy_and_custom(self):
        fn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:"
        doc = f"""openapi: 3.0.1
info: {{title: fns}}
paths:
  /proxy/{{proxy+}}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: "{fn}echo/invocations"}}
  /broken:
    get:
      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: "{fn}malformed/invocations"}}
  /custom/{{name}}:
    get:
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: "{fn}plain/invocations"
        requestTemplates: {{application/json: '{{"name": "$input.params(''name'')"}}'}}
        responses:
          default: {{statusCode: "200", responseTemplates: {{application/json: '{{"said": "$input.path(''$.message'')"}}'}}}}
  /fails:
    get:
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: "{fn}error/invocations"
        requestTemplates: {{application/json: '{{}}'}}
        responses:
          "boo.*": {{statusCode: "409", responseTemplates: {{application/json: '{{"failed": "$input.path(''$.errorMessage'')"}}'}}}}
          default: {{statusCode: "200"}}
"""
        api = self.apigw.import_rest_api(body=doc.encode())
        self.apigw.create_deployment(restApiId=api["id"], stageName="live", variables={"color": "blue"})
        st, _, body = self.call("POST", "/live/proxy/a/b?q=1", {"x": 1}, api_id=api["id"])
        self.assertEqual(st, 200, body)
        name, _, event = self.fake.invocations[-1]
        self.assertEqual(name, "echo")
        self.assertNotIn("version", event)
        self.assertEqual((event["resource"], event["path"], event["httpMethod"]), ("/proxy/{proxy+}", "/proxy/a/b", "POST"))
        self.assertEqual(event["pathParameters"], {"proxy": "a/b"})
        self.assertEqual(event["queryStringParameters"], {"q": "1"})
        self.assertEqual(event["stageVariables"], {"color": "blue"})
        self.assertEqual(json.loads(event["body"]), {"x": 1})
        rc = event["requestContext"]
        self.assertEqual((rc["path"], rc["stage"], rc["resourcePath"], rc["httpMethod"]),
                         ("/live/proxy/a/b", "live", "/proxy/{proxy+}", "POST"))
        resources = {r["path"]: r["id"] for r in self.apigw.get_resources(restApiId=api["id"])["items"]}
        self.assertEqual(rc["resourceId"], resources["/proxy/{proxy+}"])
        st, _, body = self.call("GET", "/live/broken", api_id=api["id"])
        self.assertEqual((st, json.loads(body)), (502, {"message": "Internal server error"}))
        st, _, body = self.call("GET", "/live/custom/ann", api_id=api["id"])
        self.assertEqual((st, json.loads(body)), (200, {"said": "hi"}))
        self.assertEqual(self.fake.invocations[-1][2], {"name": "ann"})  # the template is the payload
        st, _, body = self.call("GET", "/live/fails", api_id=api["id"])
        self.assertEqual((st, json.loads(body)), (409, {"failed": "boom"}))

    def test_9_stage_method_throttle(self):
        self.apigw.update_stage(restApiId=self.api_id, stageName="prod", patchOperations=[
            {"op": "replace", "path": "/~1mock/GET/throttling/rateLimit", "value": "0.01"},
            {"op": "replace", "path": "/~1mock/GET/throttling/burstLimit", "value": "1"}])
        self.assertEqual(self.call("GET", "/prod/mock")[0], 200)
        st, h, body = self.call("GET", "/prod/mock")
        self.assertEqual((st, json.loads(body)), (429, {"message": "Too Many Requests"}))
        self.assertEqual(self.call("GET", "/prod/items/7")[0], 200)  # other methods are not throttled
        settings = self.apigw.get_stage(restApiId=self.api_id, stageName="prod")["methodSettings"]
        self.assertEqual(settings["mock/GET"]["throttlingBurstLimit"], 1)

    def test_10_http_integrations(self):
        doc = f"""swagger: "2.0"
info: {{title: http}}
paths:
  /fwd/{{proxy+}}:
    x-amazon-apigateway-any-method:
      parameters: [{{name: proxy, in: path, required: true}}]
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        uri: "{self.upstream.url}/base/{{proxy}}"
        requestParameters:
          integration.request.path.proxy: method.request.path.proxy
          integration.request.header.x-stage: stageVariables.tier
  /shaped/{{id}}:
    post:
      x-amazon-apigateway-integration:
        type: http
        httpMethod: PUT
        uri: "{self.upstream.url}/things/{{id}}"
        requestParameters: {{integration.request.querystring.src: "'gateway'"}}
        requestTemplates: {{application/json: '{{"wrapped": $input.json(''$'')}}'}}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {{application/json: '{{"upstream": "$input.path(''$.method'') $input.path(''$.path'')", "sent": $input.path(''$.body'')}}'}}
            responseParameters: {{method.response.header.x-from: integration.response.header.x-upstream}}
"""
        api = self.apigw.import_rest_api(body=doc.encode())
        self.apigw.create_deployment(restApiId=api["id"], stageName="s", variables={"tier": "gold"})
        st, h, body = self.call("DELETE", "/s/fwd/a/b%20c?x=1", api_id=api["id"], headers={"x-client": "yes"})
        self.assertEqual(st, 200, body)
        echo = json.loads(body)
        self.assertEqual((echo["method"], echo["path"]), ("DELETE", "/base/a/b%20c?x=1"))
        self.assertEqual((echo["headers"]["x-client"], echo["headers"]["x-stage"]), ("yes", "gold"))
        self.assertEqual(h["x-upstream"], "echo")
        st, h, body = self.call("POST", "/s/shaped/42", {"n": 1}, api_id=api["id"])
        self.assertEqual(st, 200, body)
        self.assertEqual(json.loads(body), {"upstream": "PUT /things/42?src=gateway", "sent": {"wrapped": {"n": 1}}})
        self.assertEqual(h["x-from"], "echo")


if __name__ == "__main__":
    unittest.main()
