"""REST API (v1) request validation and gateway responses end to end: aws-cli imports an OpenAPI
file with request validators, models (JSON Schema draft 4, one referring to another) and
customised gateway responses; curl sends bodies and parameters the models refuse and gets AWS's
400s; a missing route answers the customised MISSING_AUTHENTICATION_TOKEN. The management API
(create-model, create-request-validator, update-method, put-gateway-response,
get-gateway-responses) changes them, and the stage sees the change only after a new deployment."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from gateway_e2e_base import ENV, PlainGatewayCase, aws  # noqa: E402

SPEC = os.path.join(os.path.dirname(__file__), "data", "rest_validation_openapi.yaml")


class RestValidation(PlainGatewayCase):
    SERVICE = "apigateway"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = json.loads(aws("apigateway", "import-rest-api", "--body", f"fileb://{SPEC}", *cls.ep).stdout)["id"]
        aws("apigateway", "create-deployment", "--rest-api-id", cls.api, "--stage-name", "prod", *cls.ep)

    def curl(self, method, path, body=None, headers=()):
        """curl against the path form; returns (status, headers, parsed body)."""
        cmd = ["curl", "-sS", "-D", "-", "-X", method, f"{self.gw.url()}/_api/{self.api}{path}"]
        for h in headers:
            cmd += ["-H", h]
        if body is not None:
            cmd += ["-H", "Content-Type: application/json", "--data-binary", body]
        out = subprocess.run(cmd, capture_output=True, timeout=20, env=ENV).stdout.decode()
        head, _, text = out.partition("\r\n\r\n")
        lines = head.split("\r\n")
        status = int(lines[0].split()[1])
        hdrs = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        # $util.escapeJavaScript writes ' as \' (Apache Commons' rule, as on AWS), which JSON does not
        # know: read it as a client of such a template has to.
        return status, hdrs, json.loads(text.replace("\\'", "'")) if text else None

    def post_item(self, body, query="?store=s1", headers=("x-client: cli",)):
        return self.curl("POST", "/prod/items" + query, body=body, headers=headers)

    def test_body_against_the_model(self):
        st, _, body = self.post_item('{"id": "lamp-1", "price": 10, "tags": ["red"]}')
        self.assertEqual((st, body), (200, {"stored": "s1"}))
        for bad, why in [('{"id": "lamp-1"}', 'object has missing required properties (["price"])'),
                         ('{"id": "lamp-1", "price": -1}', "numeric instance is lower than the required minimum"),
                         ('{"id": "Lamp!", "price": 1}', "does not match input string"),
                         ('{"id": "l", "price": 1, "tags": [""]}', "is too short"),
                         ('{"id": "l", "price": 1, "color": "red"}', 'not allowed by the schema: ["color"]'),
                         ('{"id": ', "Invalid JSON")]:
            st, h, body = self.post_item(bad)
            self.assertEqual(st, 400, bad)
            # BAD_REQUEST_BODY is customised to show $context.error.validationErrorString.
            self.assertEqual(body["message"], "Invalid request body", bad)
            self.assertIn(why, body["why"], bad)
            self.assertEqual(h["x-amzn-errortype"], "BadRequestException")

    def test_required_parameters(self):
        st, _, body = self.post_item('{"id": "a", "price": 1}', query="", headers=())
        self.assertEqual((st, body), (400, {"message": "Missing required request parameters: [x-client, store]"}))
        # GET uses the document's default validator (parameters only).
        self.assertEqual(self.curl("GET", "/prod/items")[0::2], (400, {"message": "Missing required request parameters: [q]"}))
        self.assertEqual(self.curl("GET", "/prod/items?q=lamp")[0::2], (200, {"q": "lamp"}))

    def test_customised_missing_authentication_token(self):
        st, h, body = self.curl("GET", "/prod/nothing/here")
        self.assertEqual((st, body), (404, {"error": "no such route", "path": "/prod/nothing/here"}))
        self.assertEqual(h["x-missing-path"], "/prod/nothing/here")

    def test_zz_management_api_and_deployments(self):  # last: it changes the stage
        names = {m["name"] for m in self.boto.get_models(restApiId=self.api)["items"]}
        self.assertTrue({"Item", "Tag", "Empty", "Error"} <= names)
        types = {g["responseType"]: g for g in self.boto.get_gateway_responses(restApiId=self.api)["items"]}
        self.assertEqual(len(types), 21)
        self.assertEqual((types["THROTTLED"]["statusCode"], types["THROTTLED"]["defaultResponse"]), ("429", True))
        self.assertEqual((types["MISSING_AUTHENTICATION_TOKEN"]["statusCode"],
                          types["MISSING_AUTHENTICATION_TOKEN"]["defaultResponse"]), ("404", False))
        # A new model and validator on a new method, and DEFAULT_4XX customised with aws-cli.
        self.boto.create_model(restApiId=self.api, name="Note", contentType="application/json",
                               schema=json.dumps({"type": "object", "required": ["text"],
                                                  "properties": {"text": {"type": "string", "maxLength": 5}}}))
        v = json.loads(aws("apigateway", "create-request-validator", "--rest-api-id", self.api, "--name", "body-only",
                           "--validate-request-body", *self.ep).stdout)
        root = [r for r in self.boto.get_resources(restApiId=self.api)["items"] if r["path"] == "/"][0]["id"]
        notes = self.boto.create_resource(restApiId=self.api, parentId=root, pathPart="notes")["id"]
        self.boto.put_method(restApiId=self.api, resourceId=notes, httpMethod="POST", authorizationType="NONE",
                             requestValidatorId=v["id"], requestModels={"application/json": "Note"})
        self.boto.put_integration(restApiId=self.api, resourceId=notes, httpMethod="POST", type="MOCK",
                                  requestTemplates={"application/json": '{"statusCode": 200}'})
        self.boto.put_integration_response(restApiId=self.api, resourceId=notes, httpMethod="POST", statusCode="200",
                                           responseTemplates={"application/json": '{"ok": true}'})
        aws("apigateway", "put-gateway-response", "--rest-api-id", self.api, "--response-type", "DEFAULT_4XX",
            "--status-code", "418", "--response-parameters", '{"gatewayresponse.header.x-teapot": "\'yes\'"}',
            "--response-templates", '{"application/json": "{\\"teapot\\": $context.error.messageString}"}', *self.ep)
        # Not deployed yet: the stage still serves what it had.
        self.assertEqual(self.curl("POST", "/prod/notes", body='{"text": "hi"}')[0], 404)
        aws("apigateway", "create-deployment", "--rest-api-id", self.api, "--stage-name", "prod", *self.ep)
        self.assertEqual(self.curl("POST", "/prod/notes", body='{"text": "hi"}')[0::2], (200, {"ok": True}))
        st, h, body = self.curl("POST", "/prod/notes", body='{"text": "too long"}')
        # BAD_REQUEST_BODY is customised itself (template), so DEFAULT_4XX's status applies to it...
        self.assertEqual((st, body["message"]), (400, "Invalid request body"))
        # ... while an uncustomised 4xx type takes DEFAULT_4XX's status, headers and body.
        st, h, body = self.curl("GET", "/prod/items")
        self.assertEqual((st, body, h["x-teapot"]), (418, {"teapot": "Missing required request parameters: [q]"}, "yes"))
        # Bad definitions are refused with BadRequestException and change nothing.
        with self.assertRaises(self.boto.exceptions.BadRequestException):
            self.boto.create_model(restApiId=self.api, name="Broken", contentType="application/json", schema="{not json")
        r = aws("apigateway", "put-gateway-response", "--rest-api-id", self.api, "--response-type", "NOT_A_TYPE",
                *self.ep, check=False)
        self.assertNotEqual(r.returncode, 0)
        with self.assertRaises(self.boto.exceptions.BadRequestException):
            self.boto.update_method(restApiId=self.api, resourceId=notes, httpMethod="POST", patchOperations=[
                {"op": "add", "path": "/requestModels/application~1json", "value": "NoSuchModel"}])
        # delete-gateway-response resets the type to AWS's default at the next deployment.
        self.boto.delete_gateway_response(restApiId=self.api, responseType="DEFAULT_4XX")
        aws("apigateway", "create-deployment", "--rest-api-id", self.api, "--stage-name", "prod", *self.ep)
        self.assertEqual(self.curl("GET", "/prod/items")[0::2], (400, {"message": "Missing required request parameters: [q]"}))


if __name__ == "__main__":
    unittest.main()
