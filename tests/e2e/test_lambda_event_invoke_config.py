"""Asynchronous invocation configuration (Put / Update / Get / List / DeleteFunctionEventInvokeConfig)
through aws-cli and boto3 against a real `cdnlab lambda`, and what it changes: an Event invocation
is retried MaximumRetryAttempts times (not AWS's default two), and the record of the outcome
reaches the OnSuccess / OnFailure destination function in AWS's shape (requestContext,
requestPayload, responseContext, responsePayload). The configuration survives a restart."""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, aws, client, client_error as err, make_zip, start_lambda  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

# WORKER fails when the event says so, and notes every attempt; SINK (a destination) writes each
# record it receives, one JSON per line.
WORKER = """import json, os
def handler(event, context):
    with open(os.environ["ATTEMPTS"], "a") as f:
        f.write(json.dumps(event) + "\\n")
    if event.get("fail"):
        raise ValueError("failing on purpose " + str(event.get("id")))
    return {"done": event.get("id")}
"""
SINK = """import json, os
def handler(event, context):
    with open(os.environ["RECORDS"], "a") as f:
        f.write(json.dumps(event) + "\\n")
    return None
"""
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(x) for x in f.read().splitlines() if x.strip()]


class EventInvokeConfig(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="cdnlab-eic-")
        cls.files = tempfile.mkdtemp(prefix="cdnlab-eic-files-")
        cls.attempts = os.path.join(cls.files, "attempts")
        cls.records = os.path.join(cls.files, "records")
        cls.proc = start_lambda("--async-retry-delay-ms", "50", "--python", "/usr/bin/python3", data=cls.data)
        cls.lam = client(cls.proc)
        # botocore checks minimums itself; this client lets the service answer them.
        cls.raw = boto3.session.Session().client(
            "lambda", endpoint_url=cls.proc.url(), region_name="us-east-1", aws_access_key_id="AKIDTEST",
            aws_secret_access_key="secret", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
        for name, code, env in (("worker", WORKER, {"ATTEMPTS": cls.attempts}), ("sink", SINK, {"RECORDS": cls.records}),
                                ("other", WORKER, {"ATTEMPTS": cls.attempts})):
            cls.lam.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": make_zip({"app.py": code})}, Environment={"Variables": env})

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.raw.close()
        cls.proc.stop()
        shutil.rmtree(cls.data, ignore_errors=True)
        shutil.rmtree(cls.files, ignore_errors=True)

    def wait_records(self, n, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = lines(self.records)
            if len(got) >= n:
                return got
            time.sleep(0.05)
        self.fail(f"expected {n} destination records, got {lines(self.records)}")

    def test_aws_cli_put_get_update_list_delete(self):
        _, put, _ = aws(self.proc, "put-function-event-invoke-config", "--function-name", "other",
                        "--maximum-retry-attempts", "0", "--maximum-event-age-in-seconds", "3600")
        self.assertEqual(put["FunctionArn"], ARN + "other:$LATEST")
        self.assertEqual((put["MaximumRetryAttempts"], put["MaximumEventAgeInSeconds"]), (0, 3600))
        self.assertEqual(put["DestinationConfig"], {"OnSuccess": {}, "OnFailure": {}})
        self.assertIn("LastModified", put)
        _, got, _ = aws(self.proc, "get-function-event-invoke-config", "--function-name", "other")
        self.assertEqual(got, put)
        _, upd, _ = aws(self.proc, "update-function-event-invoke-config", "--function-name", "other",
                        "--destination-config", json.dumps({"OnFailure": {"Destination": ARN + "sink"}}))
        self.assertEqual((upd["MaximumRetryAttempts"], upd["MaximumEventAgeInSeconds"]), (0, 3600), "update keeps the rest")
        self.assertEqual(upd["DestinationConfig"], {"OnSuccess": {}, "OnFailure": {"Destination": ARN + "sink"}})
        _, listed, _ = aws(self.proc, "list-function-event-invoke-configs", "--function-name", "other")
        self.assertEqual([c["FunctionArn"] for c in listed["FunctionEventInvokeConfigs"]], [ARN + "other:$LATEST"])
        code, _, stderr = aws(self.proc, "put-function-event-invoke-config", "--function-name", "other",
                              "--maximum-retry-attempts", "5", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("ValidationException", stderr)
        aws(self.proc, "delete-function-event-invoke-config", "--function-name", "other")
        code, _, stderr = aws(self.proc, "get-function-event-invoke-config", "--function-name", "other", check=False)
        self.assertNotEqual(code, 0)
        self.assertIn("ResourceNotFoundException", stderr)
        self.assertIn("The function " + ARN + "other:$LATEST doesn't have an EventInvokeConfig", stderr)

    def test_boto3_qualifiers_paging_and_errors(self):
        self.lam.publish_version(FunctionName="other")
        self.lam.create_alias(FunctionName="other", Name="live", FunctionVersion="1")
        for q in ("$LATEST", "1", "live"):
            self.lam.put_function_event_invoke_config(FunctionName="other", Qualifier=q, MaximumRetryAttempts=1)
        self.assertEqual(self.lam.get_function_event_invoke_config(FunctionName="other:live")["FunctionArn"],
                         ARN + "other:live", "a qualifier may come with the name")
        arns, marker = [], None
        for _ in range(5):
            page = self.lam.list_function_event_invoke_configs(FunctionName="other", MaxItems=2, **({"Marker": marker} if marker else {}))
            arns += [c["FunctionArn"] for c in page["FunctionEventInvokeConfigs"]]
            self.assertLessEqual(len(page["FunctionEventInvokeConfigs"]), 2)
            marker = page.get("NextMarker")
            if not marker:
                break
        self.assertEqual(sorted(arns), sorted(ARN + "other:" + q for q in ("$LATEST", "1", "live")))
        self.assertEqual(err(lambda: self.raw.list_function_event_invoke_configs(FunctionName="other", MaxItems=51))[0],
                         "ValidationException")
        # AWS's errors.
        code, status, msg = err(lambda: self.raw.put_function_event_invoke_config(FunctionName="other", MaximumEventAgeInSeconds=59))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60", msg)
        self.assertEqual(err(lambda: self.raw.put_function_event_invoke_config(FunctionName="other", MaximumEventAgeInSeconds=21601))[0],
                         "ValidationException")
        code, status, msg = err(lambda: self.lam.put_function_event_invoke_config(FunctionName="other"))
        self.assertEqual((code, status, msg), ("InvalidParameterValueException", 400,
                                               "You must specify at least one of error handling or destination setting."))
        self.assertEqual(err(lambda: self.lam.put_function_event_invoke_config(FunctionName="nope", MaximumRetryAttempts=1))[:2],
                         ("ResourceNotFoundException", 404))
        self.assertEqual(err(lambda: self.lam.put_function_event_invoke_config(FunctionName="other", Qualifier="9", MaximumRetryAttempts=1))[:2],
                         ("ResourceNotFoundException", 404))
        self.assertEqual(err(lambda: self.lam.update_function_event_invoke_config(FunctionName="sink", MaximumRetryAttempts=1))[:2],
                         ("ResourceNotFoundException", 404), "update needs an existing configuration")
        self.assertEqual(err(lambda: self.lam.delete_function_event_invoke_config(FunctionName="sink"))[:2],
                         ("ResourceNotFoundException", 404))
        dest = lambda arn: {"OnFailure": {"Destination": arn}}  # noqa: E731
        code, _, msg = err(lambda: self.lam.put_function_event_invoke_config(FunctionName="other", DestinationConfig=dest(ARN + "other")))
        self.assertEqual((code, msg), ("InvalidParameterValueException", "You can't specify the function as a destination for itself."))
        code, _, msg = err(lambda: self.lam.put_function_event_invoke_config(FunctionName="other", DestinationConfig=dest(ARN + "missing")))
        self.assertEqual((code, msg), ("InvalidParameterValueException", f"The destination ARN {ARN}missing is invalid."))
        code, _, msg = err(lambda: self.lam.put_function_event_invoke_config(
            FunctionName="other", DestinationConfig=dest("arn:aws:sqs:us-east-1:000000000000:queue")))
        self.assertEqual(code, "InvalidParameterValueException")
        self.assertIn("has no SQS queues", msg)
        code, _, msg = err(lambda: self.lam.put_function_event_invoke_config(FunctionName="other", DestinationConfig=dest("arn:nope")))
        self.assertEqual(code, "ValidationException")
        self.assertIn("'destinationConfig.onFailure.destination'", msg)
        for q in ("$LATEST", "1", "live"):
            self.lam.delete_function_event_invoke_config(FunctionName="other", Qualifier=q)
        self.assertEqual(self.lam.list_function_event_invoke_configs(FunctionName="other")["FunctionEventInvokeConfigs"], [])

    def test_event_invocations_follow_the_configuration(self):
        self.lam.put_function_event_invoke_config(
            FunctionName="worker", MaximumRetryAttempts=0,
            DestinationConfig={"OnSuccess": {"Destination": ARN + "sink"}, "OnFailure": {"Destination": ARN + "sink"}})
        before = len(lines(self.records))
        self.assertEqual(self.lam.invoke(FunctionName="worker", InvocationType="Event",
                                         Payload=json.dumps({"id": "f0", "fail": True}))["StatusCode"], 202)
        rec = self.wait_records(before + 1)[-1]
        self.assertEqual(rec["version"], "1.0")
        self.assertRegex(rec["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(rec["requestContext"]["condition"], "RetriesExhausted")
        self.assertEqual(rec["requestContext"]["functionArn"], ARN + "worker:$LATEST")
        self.assertEqual(rec["requestContext"]["approximateInvokeCount"], 1)
        self.assertRegex(rec["requestContext"]["requestId"], r"^[0-9a-f-]{36}$")
        self.assertEqual(rec["requestPayload"], {"id": "f0", "fail": True})
        self.assertEqual(rec["responseContext"], {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"})
        self.assertEqual(rec["responsePayload"]["errorType"], "ValueError")
        self.assertIn("failing on purpose f0", rec["responsePayload"]["errorMessage"])
        self.assertEqual(sum(1 for a in lines(self.attempts) if a.get("id") == "f0"), 1, "MaximumRetryAttempts 0: one try")

        self.lam.update_function_event_invoke_config(FunctionName="worker", MaximumRetryAttempts=1)
        self.lam.invoke(FunctionName="worker", InvocationType="Event", Payload=json.dumps({"id": "f1", "fail": True}))
        rec = self.wait_records(before + 2)[-1]
        self.assertEqual((rec["requestContext"]["condition"], rec["requestContext"]["approximateInvokeCount"]),
                         ("RetriesExhausted", 2))
        self.assertEqual(sum(1 for a in lines(self.attempts) if a.get("id") == "f1"), 2, "MaximumRetryAttempts 1: two tries")

        self.lam.invoke(FunctionName="worker", InvocationType="Event", Payload=json.dumps({"id": "s1"}))
        rec = self.wait_records(before + 3)[-1]
        self.assertEqual(rec["requestContext"]["condition"], "Success")
        self.assertEqual(rec["requestContext"]["approximateInvokeCount"], 1)
        self.assertEqual(rec["responseContext"], {"statusCode": 200, "executedVersion": "$LATEST"})
        self.assertEqual(rec["responsePayload"], {"done": "s1"})
        # A synchronous invocation is not asynchronous: no record.
        self.lam.invoke(FunctionName="worker", Payload=json.dumps({"id": "sync"}))
        self.lam.delete_function_event_invoke_config(FunctionName="worker")
        self.lam.invoke(FunctionName="worker", InvocationType="Event", Payload=json.dumps({"id": "f2", "fail": True}))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and sum(1 for a in lines(self.attempts) if a.get("id") == "f2") < 3:
            time.sleep(0.05)
        self.assertEqual(sum(1 for a in lines(self.attempts) if a.get("id") == "f2"), 3, "without a configuration: AWS's two retries")
        self.assertEqual(len(lines(self.records)), before + 3, "no destination without a configuration")

    def test_survives_a_restart(self):
        self.lam.put_function_event_invoke_config(FunctionName="sink", MaximumEventAgeInSeconds=120)
        before = self.lam.get_function_event_invoke_config(FunctionName="sink")
        before.pop("ResponseMetadata")
        self.__class__.proc.stop()
        self.__class__.proc = start_lambda("--async-retry-delay-ms", "50", "--python", "/usr/bin/python3", data=self.data)
        lam = client(self.proc)
        try:
            after = lam.get_function_event_invoke_config(FunctionName="sink")
            after.pop("ResponseMetadata")
            self.assertEqual(after, before)
            lam.delete_function_event_invoke_config(FunctionName="sink")
        finally:
            lam.close()
        self.__class__.lam.close()
        self.__class__.lam = client(self.proc)


if __name__ == "__main__":
    unittest.main()
