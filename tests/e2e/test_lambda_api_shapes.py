"""The Lambda management API's response shapes and checks as AWS's API reference documents them,
through boto3 and aws-cli: FunctionArn with and without a qualifier, CodeSha256 / CodeSize /
LastModified, Role and Architectures validation, tags (TagResource / ListTags / UntagResource and
GetFunction's Tags), Marker / MaxItems paging of ListVersionsByFunction and ListAliases (with its
FunctionVersion filter), ListProvisionedConcurrencyConfigs, TracingConfig / EphemeralStorage kept
and shown back, and the members the service cannot honour (Layers, DeadLetterConfig, JSON logs,
SnapStart) refused by name."""
import base64
import hashlib
import json
import os
import re
import sys
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import aws, client_error as err, LambdaServiceCase, make_zip, ROLE  # noqa: E402

CODE = "exports.handler = async (event) => ({ ok: true, event });\n"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


class LambdaApiShapes(LambdaServiceCase):
    def create(self, name, **kw):
        args = dict(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                    Code={"ZipFile": make_zip({"index.js": CODE})})
        args.update(kw)
        return self.lam.create_function(**args)

    def publish_new(self, name, value):
        """Changes $LATEST (an environment variable) and publishes it: a new version each call."""
        self.lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"V": value}})
        return self.lam.publish_version(FunctionName=name)["Version"]

    def test_code_fields_and_last_modified(self):
        zipped = make_zip({"index.js": CODE + "// code fields\n"})
        fc = self.create("shape-code", Code={"ZipFile": zipped})
        self.assertEqual(fc["CodeSha256"], base64.b64encode(hashlib.sha256(zipped).digest()).decode())
        self.assertEqual(fc["CodeSize"], len(zipped))
        # LastModified: ISO 8601 with milliseconds and a +0000 offset, as AWS returns it.
        self.assertRegex(fc["LastModified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
        self.assertEqual(fc["FunctionArn"], ARN + "shape-code")
        self.assertEqual((fc["Version"], fc["PackageType"], fc["State"], fc["LastUpdateStatus"]),
                         ("$LATEST", "Zip", "Active", "Successful"))
        self.assertRegex(fc["RevisionId"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual(fc["Architectures"], ["x86_64"])

    def test_function_arn_carries_the_qualifier_asked_for(self):
        self.create("shape-arn", Publish=True)
        self.lam.create_alias(FunctionName="shape-arn", Name="live", FunctionVersion="1")
        get = self.lam.get_function_configuration
        self.assertEqual(get(FunctionName="shape-arn")["FunctionArn"], ARN + "shape-arn")
        self.assertEqual(get(FunctionName="shape-arn", Qualifier="$LATEST")["FunctionArn"], ARN + "shape-arn:$LATEST")
        self.assertEqual(get(FunctionName="shape-arn", Qualifier="1")["FunctionArn"], ARN + "shape-arn:1")
        by_alias = get(FunctionName="shape-arn", Qualifier="live")
        self.assertEqual((by_alias["FunctionArn"], by_alias["Version"]), (ARN + "shape-arn:live", "1"))
        self.assertEqual(self.lam.get_function(FunctionName="shape-arn:live")["Configuration"]["FunctionArn"],
                         ARN + "shape-arn:live")
        versions = self.lam.list_versions_by_function(FunctionName="shape-arn")["Versions"]
        self.assertEqual([v["FunctionArn"] for v in versions], [ARN + "shape-arn:$LATEST", ARN + "shape-arn:1"])
        listed = [f for f in self.lam.list_functions()["Functions"] if f["FunctionName"] == "shape-arn"]
        self.assertEqual([f["FunctionArn"] for f in listed], [ARN + "shape-arn"])
        all_versions = [f["FunctionArn"] for f in self.lam.list_functions(FunctionVersion="ALL")["Functions"]
                        if f["FunctionName"] == "shape-arn"]
        self.assertEqual(all_versions, [ARN + "shape-arn:$LATEST", ARN + "shape-arn:1"])

    def test_role_is_validated_as_an_iam_role_arn(self):
        code, status, message = err(lambda: self.create("shape-role", Role="not-a-role"))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("at 'role' failed to satisfy constraint", message)
        code, _, _ = err(lambda: self.create("shape-role", Role="arn:aws:iam::123:role/short-account"))
        self.assertEqual(code, "ValidationException")
        self.create("shape-role", Role="arn:aws:iam::123456789012:role/service-role/my.role@x")
        code, _, message = err(lambda: self.lam.update_function_configuration(FunctionName="shape-role", Role="x"))
        self.assertEqual(code, "ValidationException")

    def test_architectures(self):
        fc = self.create("shape-arm", Architectures=["arm64"])
        self.assertEqual(fc["Architectures"], ["arm64"])
        self.assertEqual(self.lam.get_function_configuration(FunctionName="shape-arm")["Architectures"], ["arm64"])
        code, status, message = err(lambda: self.create("shape-arch", Architectures=["sparc"]))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("architectures", message)
        code, _, _ = err(lambda: self.create("shape-arch", Architectures=["x86_64", "arm64"]))
        self.assertEqual(code, "ValidationException")
        fc = self.lam.update_function_code(FunctionName="shape-arm", ZipFile=make_zip({"index.js": CODE}),
                                           Architectures=["x86_64"])
        self.assertEqual(fc["Architectures"], ["x86_64"])

    def test_tags(self):
        arn = self.create("shape-tags", Tags={"team": "edge"})["FunctionArn"]
        self.assertEqual(self.lam.get_function(FunctionName="shape-tags")["Tags"], {"team": "edge"})
        self.lam.tag_resource(Resource=arn, Tags={"env": "lab", "team": "cdn"})
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"env": "lab", "team": "cdn"})
        self.lam.untag_resource(Resource=arn, TagKeys=["team", "absent"])
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"env": "lab"})
        # aws-cli reads the same shape.
        _, out, _ = aws(self.proc, "list-tags", "--resource", arn)
        self.assertEqual(out["Tags"], {"env": "lab"})
        code, status, message = err(lambda: self.lam.list_tags(Resource=ARN + "no-such-fn"))
        self.assertEqual((code, status), ("ResourceNotFoundException", 404))
        self.assertIn(ARN + "no-such-fn", message)
        code, status, _ = err(lambda: self.lam.tag_resource(Resource=arn + ":$LATEST", Tags={"a": "b"}))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))
        code, status, _ = err(lambda: self.lam.tag_resource(Resource=arn, Tags={"aws:reserved": "x"}))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))

    def test_tracing_and_ephemeral_storage_are_kept_and_the_unsupported_refused(self):
        fc = self.create("shape-opts", TracingConfig={"Mode": "Active"}, EphemeralStorage={"Size": 2048})
        self.assertEqual((fc["TracingConfig"], fc["EphemeralStorage"]), ({"Mode": "Active"}, {"Size": 2048}))
        fc = self.lam.update_function_configuration(FunctionName="shape-opts", EphemeralStorage={"Size": 512})
        self.assertEqual((fc["TracingConfig"], fc["EphemeralStorage"]), ({"Mode": "Active"}, {"Size": 512}))
        self.assertNotIn("Tags", self.lam.get_function(FunctionName="shape-opts"), "no tags: no Tags member, as AWS")
        code, status, message = err(lambda: self.lam.update_function_configuration(
            FunctionName="shape-opts", EphemeralStorage={"Size": 10241}))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("ephemeralStorage.size", message)
        code, _, _ = err(lambda: self.lam.update_function_configuration(FunctionName="shape-opts", TracingConfig={"Mode": "On"}))
        self.assertEqual(code, "ValidationException")
        # What the service cannot do is refused by name, never accepted and ignored.
        for extra, named in ((dict(Layers=["arn:aws:lambda:us-east-1:000000000000:layer:l:1"]), "Layers"),
                             (dict(DeadLetterConfig={"TargetArn": "arn:aws:sqs:us-east-1:000000000000:dlq"}), "DeadLetterConfig"),
                             (dict(SnapStart={"ApplyOn": "PublishedVersions"}), "SnapStart")):
            code, status, message = err(lambda: self.create("shape-unsupported", **extra))
            self.assertEqual((code, status), ("InvalidParameterValueException", 400), extra)
            self.assertIn(named, message)
        # Their "off" values are what AWS's defaults mean: accepted.
        self.create("shape-defaults", Layers=[], DeadLetterConfig={}, SnapStart={"ApplyOn": "None"})
        # Debian's botocore predates LoggingConfig: asked over raw HTTP, as a newer SDK sends it.
        body = {"FunctionName": "shape-logs", "Runtime": "nodejs20.x", "Role": ROLE, "Handler": "index.handler",
                "Code": {"ZipFile": base64.b64encode(make_zip({"index.js": CODE})).decode()}}
        status, headers, answer = self.post("/2015-03-31/functions", dict(body, LoggingConfig={"LogFormat": "JSON"}))
        self.assertEqual((status, headers["x-amzn-ErrorType"]), (400, "InvalidParameterValueException"))
        self.assertIn("LoggingConfig", answer["message"])
        status, _, answer = self.post("/2015-03-31/functions", dict(body, LoggingConfig={"LogFormat": "Text"}))
        self.assertEqual(status, 201)
        self.assertEqual(answer["LoggingConfig"], {"LogFormat": "Text", "LogGroup": "/aws/lambda/shape-logs"})

    def post(self, path, body):
        req = urllib.request.Request(self.proc.url() + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                return r.status, r.headers, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read())

    def test_list_versions_and_aliases_page(self):
        self.create("shape-pages")
        published = [self.publish_new("shape-pages", str(i)) for i in range(3)]
        self.assertEqual(published, ["1", "2", "3"])
        first = self.lam.list_versions_by_function(FunctionName="shape-pages", MaxItems=2)
        self.assertEqual([v["Version"] for v in first["Versions"]], ["$LATEST", "1"])
        self.assertIn("NextMarker", first)
        rest = self.lam.list_versions_by_function(FunctionName="shape-pages", Marker=first["NextMarker"], MaxItems=2)
        self.assertEqual([v["Version"] for v in rest["Versions"]], ["2", "3"])
        self.assertNotIn("NextMarker", rest)
        pages = self.lam.get_paginator("list_versions_by_function").paginate(
            FunctionName="shape-pages", PaginationConfig={"PageSize": 1})
        self.assertEqual([v["Version"] for p in pages for v in p["Versions"]], ["$LATEST", "1", "2", "3"])
        code, status, _ = err(lambda: self.lam.list_versions_by_function(FunctionName="shape-pages", Marker="bogus"))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))

        for name, version in (("a1", "1"), ("a2", "2"), ("a3", "2"), ("b1", "3")):
            self.lam.create_alias(FunctionName="shape-pages", Name=name, FunctionVersion=version)
        page = self.lam.list_aliases(FunctionName="shape-pages", MaxItems=3)
        self.assertEqual([a["Name"] for a in page["Aliases"]], ["a1", "a2", "a3"])
        page2 = self.lam.list_aliases(FunctionName="shape-pages", Marker=page["NextMarker"])
        self.assertEqual([a["Name"] for a in page2["Aliases"]], ["b1"])
        on_two = self.lam.list_aliases(FunctionName="shape-pages", FunctionVersion="2")["Aliases"]
        self.assertEqual([a["Name"] for a in on_two], ["a2", "a3"])

    def test_list_provisioned_concurrency_configs(self):
        self.create("shape-prov", Publish=True)
        self.lam.put_provisioned_concurrency_config(FunctionName="shape-prov", Qualifier="1",
                                                    ProvisionedConcurrentExecutions=1)
        configs = self.lam.list_provisioned_concurrency_configs(FunctionName="shape-prov")["ProvisionedConcurrencyConfigs"]
        self.assertEqual(len(configs), 1)
        self.assertEqual(configs[0]["FunctionArn"], ARN + "shape-prov:1")
        self.assertEqual(configs[0]["RequestedProvisionedConcurrentExecutions"], 1)
        self.assertIn(configs[0]["Status"], ("IN_PROGRESS", "READY"))
        self.assertTrue(re.match(r"^\d{4}-\d\d-\d\dT", configs[0]["LastModified"]))
        code, status, _ = err(lambda: self.lam.list_provisioned_concurrency_configs(FunctionName="no-such-fn"))
        self.assertEqual((code, status), ("ResourceNotFoundException", 404))


if __name__ == "__main__":
    unittest.main()
