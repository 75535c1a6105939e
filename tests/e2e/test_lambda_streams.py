"""Event source mappings from DynamoDB Streams: the CRUD operations through boto3 with AWS's
shapes and errors, and the poller against a DynamoDB Streams endpoint that speaks the documented
API (DescribeStream / GetShardIterator / GetRecords; a small fake in this file, one shard, since
the store's Streams API is another issue's work): records arrive in order in {"Records":[...]}
batches of at most BatchSize with eventSourceARN, a failing batch is retried and, past
MaximumRetryAttempts, dropped to the on-failure log while later records still flow;
ReportBatchItemFailures retries from the first failed SequenceNumber."""
import json
import os
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import ROLE, client, make_zip, start_lambda  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

STREAM = "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-12-01T00:00:00.000"


class FakeStreams(BaseHTTPRequestHandler):
    records = []
    lock = threading.Lock()

    def log_message(self, *a):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        op = self.headers.get("X-Amz-Target", "").split(".")[-1]
        with self.lock:
            if op == "DescribeStream":
                out = {"StreamDescription": {"StreamArn": body["StreamArn"], "StreamStatus": "ENABLED",
                                             "Shards": [{"ShardId": "shardId-000001",
                                                         "SequenceNumberRange": {"StartingSequenceNumber": "1"}}]}}
            elif op == "GetShardIterator":
                pos = 0 if body["ShardIteratorType"] == "TRIM_HORIZON" else len(self.records)
                out = {"ShardIterator": f"it-{pos}"}
            elif op == "GetRecords":
                pos = int(body["ShardIterator"].split("-")[1])
                batch = self.records[pos:pos + int(body.get("Limit", 1000))]
                out = {"Records": batch, "NextShardIterator": f"it-{pos + len(batch)}"}
            else:
                self.send_response(400)
                self.end_headers()
                return
        data = json.dumps(out).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def put(key, name="INSERT"):
    with FakeStreams.lock:
        seq = str(100 + len(FakeStreams.records))
        FakeStreams.records.append({
            "eventID": f"e{seq}", "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": {"Keys": {"pk": {"S": key}}, "NewImage": {"pk": {"S": key}}, "SequenceNumber": seq,
                         "SizeBytes": 20, "StreamViewType": "NEW_AND_OLD_IMAGES"}})


RECORDER = """const fs = require("fs");
exports.handler = async (event) => {
  const keys = event.Records.map(r => r.dynamodb.Keys.pk.S);
  fs.appendFileSync(process.env.OUT, JSON.stringify({ keys, arn: event.Records[0].eventSourceARN,
                                                       name: event.Records[0].eventName }) + "\\n");
  if (keys.includes("poison")) throw new Error("poison record");
  const bad = event.Records.find(r => r.dynamodb.Keys.pk.S === "flaky" && !fs.existsSync(process.env.OUT + ".flaky"));
  if (bad) { fs.writeFileSync(process.env.OUT + ".flaky", "1");
             return { batchItemFailures: [{ itemIdentifier: bad.dynamodb.SequenceNumber }] }; }
  return {};
};
"""


class LambdaStreams(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = ThreadingHTTPServer(("127.0.0.1", 0), FakeStreams)
        threading.Thread(target=cls.fake.serve_forever, daemon=True).start()
        cls.proc = start_lambda("--streams-endpoint", f"http://127.0.0.1:{cls.fake.server_port}")
        cls.lam = client(cls.proc)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "batches.jsonl")
        cls.lam.create_function(FunctionName="rec", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": RECORDER})},
                                Environment={"Variables": {"OUT": cls.out}})

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.proc.stop()
        cls.fake.shutdown()
        cls.fake.server_close()
        cls.tmp.cleanup()

    def batches(self, until, timeout=20):
        deadline = time.monotonic() + timeout
        got = []
        while time.monotonic() < deadline:
            if os.path.exists(self.out):
                with open(self.out) as f:
                    got = [json.loads(l) for l in f if l.strip()]
                if until(got):
                    return got
            time.sleep(0.05)
        raise AssertionError(f"batches so far: {got}")

    def test_crud_and_errors(self):
        def code(fn):
            try:
                fn()
            except ClientError as e:
                return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
            raise AssertionError("expected an error")

        self.assertEqual(code(lambda: self.lam.create_event_source_mapping(
            FunctionName="rec", EventSourceArn="arn:aws:sqs:us-east-1:000000000000:q", StartingPosition="LATEST")),
            ("InvalidParameterValueException", 400))
        self.assertEqual(code(lambda: self.lam.create_event_source_mapping(
            FunctionName="missing", EventSourceArn=STREAM + "x", StartingPosition="LATEST")), ("ResourceNotFoundException", 404))
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=STREAM + "crud",
                                                 StartingPosition="LATEST", BatchSize=7, Enabled=False)
        self.assertEqual((m["State"], m["BatchSize"], m["ResponseMetadata"]["HTTPStatusCode"]), ("Creating", 7, 202))
        self.assertEqual(code(lambda: self.lam.create_event_source_mapping(
            FunctionName="rec", EventSourceArn=STREAM + "crud", StartingPosition="LATEST")), ("ResourceConflictException", 409))
        got = self.lam.get_event_source_mapping(UUID=m["UUID"])
        self.assertEqual((got["State"], got["FunctionArn"]), ("Disabled", "arn:aws:lambda:us-east-1:000000000000:function:rec"))
        self.lam.update_event_source_mapping(UUID=m["UUID"], BatchSize=3)
        self.assertEqual(self.lam.get_event_source_mapping(UUID=m["UUID"])["BatchSize"], 3)
        listed = self.lam.list_event_source_mappings(FunctionName="rec", EventSourceArn=STREAM + "crud")
        self.assertEqual([x["UUID"] for x in listed["EventSourceMappings"]], [m["UUID"]])
        self.lam.delete_event_source_mapping(UUID=m["UUID"])
        self.assertEqual(code(lambda: self.lam.get_event_source_mapping(UUID=m["UUID"])), ("ResourceNotFoundException", 404))

    def test_update_states_and_parameter_checks(self):
        # UpdateEventSourceMapping answers with the transition AWS reports: Enabling / Disabling
        # when Enabled flips, Updating otherwise; GetEventSourceMapping then shows where it went.
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=STREAM + "states",
                                                 StartingPosition="LATEST", Enabled=False)
        try:
            up = self.lam.update_event_source_mapping(UUID=m["UUID"], Enabled=True)
            self.assertEqual((up["State"], up["ResponseMetadata"]["HTTPStatusCode"]), ("Enabling", 202))
            self.assertEqual(self.lam.get_event_source_mapping(UUID=m["UUID"])["State"], "Enabled")
            self.assertEqual(self.lam.update_event_source_mapping(UUID=m["UUID"], BatchSize=5)["State"], "Updating")
            self.assertEqual(self.lam.update_event_source_mapping(UUID=m["UUID"], Enabled=False)["State"], "Disabling")
            self.assertEqual(self.lam.get_event_source_mapping(UUID=m["UUID"])["State"], "Disabled")
        finally:
            self.lam.delete_event_source_mapping(UUID=m["UUID"])
        # boto3 checks MaxItems itself, so the service's own check is asked over raw HTTP.
        for max_items in (0, 10001):
            url = f"{self.proc.url()}/2015-03-31/event-source-mappings/?FunctionName=rec&MaxItems={max_items}"
            with self.assertRaises(urllib.error.HTTPError) as raw:
                urllib.request.urlopen(url, timeout=10)
            self.assertEqual((raw.exception.code, raw.exception.headers["x-amzn-ErrorType"]), (400, "ValidationException"))
        with self.assertRaises(ClientError) as caught:
            self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=STREAM + "ts",
                                                 StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=1)
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterValueException")
        self.assertIn("AT_TIMESTAMP", caught.exception.response["Error"]["Message"])

    def test_destination_config_refused_as_aws_refuses_a_destination_it_cannot_use(self):
        def err(**extra):
            try:
                self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=STREAM + "dest",
                                                     StartingPosition="LATEST", Enabled=False, **extra)
            except ClientError as e:
                return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]
            raise AssertionError("expected an error")

        on_failure = lambda arn: {"DestinationConfig": {"OnFailure": {"Destination": arn}}}
        code, status, message = err(**on_failure("arn:aws:sqs:us-east-1:000000000000:dlq"))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))
        self.assertIn("arn:aws:sqs:us-east-1:000000000000:dlq", message)
        self.assertIn("on-failure log", message)
        code, status, message = err(**on_failure("arn:aws:lambda:us-east-1:000000000000:function:rec"))
        self.assertEqual((code, status), ("InvalidParameterValueException", 400))
        self.assertIn("Unsupported destination", message)
        code, status, message = err(**on_failure("not-an-arn-at-all"))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("destinationConfig.onFailure.destination", message)
        code, status, message = err(DestinationConfig={"OnFailure": {}})
        self.assertEqual((code, status, message), ("InvalidParameterValueException", 400,
                                                   "The Destination field is required for an OnFailure configuration."))
        # No destination at all is what AWS's default means: accepted.
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=STREAM + "dest", StartingPosition="LATEST",
                                                 Enabled=False, DestinationConfig={})
        self.lam.delete_event_source_mapping(UUID=m["UUID"])

    def test_batches_retries_and_item_failures(self):
        for k in ("a", "b", "c"):
            put(k)
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=STREAM, StartingPosition="TRIM_HORIZON",
                                                 BatchSize=2, MaximumRetryAttempts=1,
                                                 FunctionResponseTypes=["ReportBatchItemFailures"])
        got = self.batches(lambda b: sum(len(x["keys"]) for x in b) >= 3)
        self.assertEqual([k for x in got for k in x["keys"]], ["a", "b", "c"])
        self.assertTrue(all(len(x["keys"]) <= 2 for x in got))
        self.assertEqual((got[0]["arn"], got[0]["name"]), (STREAM, "INSERT"))
        # A poison batch: tried once, retried once (MaximumRetryAttempts=1), dropped; d still flows.
        put("poison")
        got = self.batches(lambda b: sum("poison" in x["keys"] for x in b) >= 2)
        put("d")
        got = self.batches(lambda b: any("d" in x["keys"] for x in b))
        self.assertEqual(sum("poison" in x["keys"] for x in got), 2)
        logs = urllib.request.urlopen(self.proc.url() + "/_cdnlab/logs/rec").read().decode()
        self.assertIn("dropped", logs)
        # ReportBatchItemFailures: e ok, flaky reported failed once -> retried from flaky (flaky, f).
        put("e")
        put("flaky")
        got = self.batches(lambda b: sum(x["keys"].count("flaky") for x in b) >= 2)
        flat = [k for x in got for k in x["keys"]]
        self.assertEqual(flat.count("e"), 1)
        self.lam.delete_event_source_mapping(UUID=m["UUID"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
