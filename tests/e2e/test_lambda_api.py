"""The Lambda management and Invoke API through boto3 (Debian's python3-boto3): versions and
aliases with Qualifier, configuration updates reaching new environments, AWS's error types and
status codes as botocore parses them, payload limits, DryRun/Event, and functions surviving a
restart of the service with --data."""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, client, client_error as err, make_zip, payload_of, start_lambda  # noqa: E402


ECHO_V = """exports.handler = async (event, context) => ({ v: process.env.V || null, version: context.functionVersion,
  arn: context.invokedFunctionArn, event });
"""


class LambdaApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="cdnlab-lambda-")
        cls.proc = start_lambda(data=cls.data)
        cls.lam = client(cls.proc)

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()
        shutil.rmtree(cls.data, ignore_errors=True)

    def create(self, name, code=ECHO_V, **kw):
        args = dict(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                    Code={"ZipFile": make_zip({"index.js": code})})
        args.update(kw)
        return self.lam.create_function(**args)

    def invoke(self, name, payload=None, **kw):
        r = self.lam.invoke(FunctionName=name, Payload=json.dumps(payload if payload is not None else {}), **kw)
        return r, payload_of(r)

    def test_versions_aliases_and_updates(self):
        self.create("ver", Environment={"Variables": {"V": "one"}}, Publish=True)
        _, out = self.invoke("ver")
        self.assertEqual(out["v"], "one")
        self.lam.update_function_configuration(FunctionName="ver", Environment={"Variables": {"V": "two"}}, Timeout=5)
        _, out = self.invoke("ver")
        self.assertEqual(out["v"], "two", "a configuration change must reach the next invocation")
        v2 = self.lam.publish_version(FunctionName="ver")
        self.assertEqual(v2["Version"], "2")
        self.assertEqual(self.lam.publish_version(FunctionName="ver")["Version"], "2", "unchanged: same version")
        r, out = self.invoke("ver", Qualifier="1")
        self.assertEqual((out["v"], out["version"], r["ExecutedVersion"]), ("one", "1", "1"))
        self.assertTrue(out["arn"].endswith(":function:ver:1"))
        alias = self.lam.create_alias(FunctionName="ver", Name="live", FunctionVersion="1")
        self.assertEqual(alias["AliasArn"], "arn:aws:lambda:us-east-1:000000000000:function:ver:live")
        r, out = self.invoke("ver:live")
        self.assertEqual((out["v"], r["ExecutedVersion"]), ("one", "1"))
        self.lam.update_alias(FunctionName="ver", Name="live", FunctionVersion="2")
        self.assertEqual(self.lam.get_alias(FunctionName="ver", Name="live")["FunctionVersion"], "2")
        r, out = self.invoke("ver", Qualifier="live")
        self.assertEqual((out["v"], r["ExecutedVersion"]), ("two", "2"))
        self.assertEqual(err(lambda: self.lam.create_alias(FunctionName="ver", Name="live", FunctionVersion="1"))[:2],
                         ("ResourceConflictException", 409))
        self.assertEqual(err(lambda: self.invoke("ver", Qualifier="7"))[:2], ("ResourceNotFoundException", 404))
        self.lam.update_function_code(FunctionName="ver", ZipFile=make_zip({"index.js": "exports.handler = async () => 'new';"}))
        _, out = self.invoke("ver")
        self.assertEqual(out, "new")
        _, out = self.invoke("ver", Qualifier="1")
        self.assertEqual(out["v"], "one", "published versions keep their code")
        versions = self.lam.list_versions_by_function(FunctionName="ver")["Versions"]
        self.assertEqual([v["Version"] for v in versions], ["$LATEST", "1", "2"])

    def test_error_types(self):
        self.create("errs")
        self.assertEqual(err(lambda: self.create("errs"))[:2], ("ResourceConflictException", 409))
        self.assertEqual(err(lambda: self.lam.get_function(FunctionName="nope"))[:2], ("ResourceNotFoundException", 404))
        self.assertEqual(err(lambda: self.create("badrt", Runtime="cobol1.0"))[:2], ("ValidationException", 400))
        self.assertEqual(err(lambda: self.lam.update_function_configuration(FunctionName="errs", Timeout=901))[:2],
                         ("ValidationException", 400))
        code, status, msg = err(lambda: self.lam.update_function_configuration(
            FunctionName="errs", Environment={"Variables": {"AWS_REGION": "x"}}))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))
        self.assertIn("AWS_REGION", msg)
        self.assertEqual(err(lambda: self.lam.update_function_code(FunctionName="errs", ZipFile=b"not a zip"))[:2],
                         ("InvalidParameterValueException", 400))
        evil = make_zip({"../escape.js": "x"})
        self.assertEqual(err(lambda: self.lam.update_function_code(FunctionName="errs", ZipFile=evil))[:2],
                         ("InvalidParameterValueException", 400))
        self.assertEqual(err(lambda: self.lam.invoke(FunctionName="errs", Payload=b"{not json"))[:2],
                         ("InvalidRequestContentException", 400))
        big = b'"' + b"a" * (6 * 1024 * 1024) + b'"'
        self.assertEqual(err(lambda: self.lam.invoke(FunctionName="errs", Payload=big))[:2], ("RequestTooLargeException", 413))
        mid = b'"' + b"a" * (300 * 1024) + b'"'
        self.assertEqual(err(lambda: self.lam.invoke(FunctionName="errs", Payload=mid, InvocationType="Event"))[:2],
                         ("RequestTooLargeException", 413))
        self.assertEqual(err(lambda: self.lam.get_provisioned_concurrency_config(FunctionName="errs", Qualifier="1"))[:2],
                         ("ProvisionedConcurrencyConfigNotFoundException", 404))
        self.assertEqual(err(lambda: self.lam.put_provisioned_concurrency_config(
            FunctionName="errs", Qualifier="$LATEST", ProvisionedConcurrentExecutions=1))[:2], ("InvalidParameterValueException", 400))
        rev = self.lam.get_function(FunctionName="errs")["Configuration"]["RevisionId"]
        self.assertEqual(err(lambda: self.lam.update_function_configuration(FunctionName="errs", Timeout=4, RevisionId=rev + "x"))[:2],
                         ("PreconditionFailedException", 412))

    def test_dry_run_and_event(self):
        self.create("kinds")
        self.assertEqual(self.lam.invoke(FunctionName="kinds", InvocationType="DryRun")["StatusCode"], 204)
        self.assertEqual(self.lam.invoke(FunctionName="kinds", InvocationType="Event", Payload=b"{}")["StatusCode"], 202)

    def test_list_paging(self):
        for i in range(5):
            self.create(f"page{i}")
        names, marker = [], None
        for _ in range(20):
            kw = {"MaxItems": 2}
            if marker:
                kw["Marker"] = marker
            page = self.lam.list_functions(**kw)
            self.assertLessEqual(len(page["Functions"]), 2)
            names += [f["FunctionName"] for f in page["Functions"]]
            marker = page.get("NextMarker")
            if not marker:
                break
        self.assertEqual([n for n in names if n.startswith("page")], [f"page{i}" for i in range(5)])

    def test_restart_keeps_functions(self):
        self.create("durable", Environment={"Variables": {"V": "kept"}}, Publish=True, Tags={"team": "edge"},
                    Architectures=["arm64"], TracingConfig={"Mode": "Active"})
        self.lam.put_function_concurrency(FunctionName="durable", ReservedConcurrentExecutions=5)
        self.lam.add_permission(FunctionName="durable", StatementId="s3", Action="lambda:InvokeFunction",
                                Principal="s3.amazonaws.com")
        self.__class__.proc.stop()
        self.__class__.proc = start_lambda(data=self.data)
        self.lam.close()
        self.__class__.lam = client(self.proc)
        got = self.lam.get_function(FunctionName="durable")
        self.assertEqual(got["Concurrency"]["ReservedConcurrentExecutions"], 5)
        self.assertEqual(got["Tags"], {"team": "edge"})
        self.assertEqual((got["Configuration"]["Architectures"], got["Configuration"]["TracingConfig"]),
                         (["arm64"], {"Mode": "Active"}))
        self.assertEqual([s["Sid"] for s in json.loads(self.lam.get_policy(FunctionName="durable")["Policy"])["Statement"]], ["s3"])
        _, out = self.invoke("durable", Qualifier="1")
        self.assertEqual(out["v"], "kept")


if __name__ == "__main__":
    unittest.main(verbosity=2)
