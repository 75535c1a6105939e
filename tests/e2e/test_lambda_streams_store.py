"""Event source mappings against the real `cdnlab store`: tables with StreamSpecification, the
mapping created with aws-cli and boto3, items written through boto3, and a Node.js function that
records what it receives. Checks the DynamoDB Streams event shape Lambda delivers (eventName
INSERT/MODIFY/REMOVE, dynamodb.Keys/NewImage/OldImage/SequenceNumber/SizeBytes/StreamViewType,
eventSourceARN), BatchSize, MaximumBatchingWindowInSeconds, FilterCriteria (prefix, anything-but,
numeric range, exists, exact values), and a failing record retried with
BisectBatchOnFunctionError and MaximumRetryAttempts, then dropped to the on-failure log while the
records around it are delivered."""
import json
import os
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from lambda_util import ROLE, aws, client, make_zip  # noqa: E402

import boto3  # noqa: E402

RECORDER = """const fs = require("fs");
exports.handler = async (event) => {
  const table = event.Records[0].eventSourceARN.split("/")[1];
  const poison = event.Records.some((r) => r.dynamodb.NewImage && r.dynamodb.NewImage.poison);
  fs.appendFileSync(process.env.OUT, JSON.stringify({ table, ok: !poison, records: event.Records }) + "\\n");
  if (poison) throw new Error("poison record");
  return {};
};
"""


def keys_of(batch):
    return [r["dynamodb"]["Keys"]["pk"]["S"] for r in batch["records"]]


class LambdaStreamsOnStore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        cls.proc = Proc(["lambda", "--listen", "127.0.0.1:0", "--in-memory", "--store-endpoint", cls.store.url()])
        cls.lam = client(cls.proc)
        cls.ddb = boto3.session.Session().client("dynamodb", endpoint_url=cls.store.url(), region_name="us-east-1",
                                                 aws_access_key_id="x", aws_secret_access_key="y")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "batches.jsonl")
        cls.lam.create_function(FunctionName="rec", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": RECORDER})}, Timeout=10,
                                Environment={"Variables": {"OUT": cls.out}})

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.ddb.close()
        cls.proc.stop()
        cls.store.stop()
        cls.tmp.cleanup()

    def table(self, name, view="NEW_AND_OLD_IMAGES"):
        t = self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                  StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
        return t["TableDescription"]["LatestStreamArn"]

    def put(self, table, pk, **attrs):
        item = {"pk": {"S": pk}}
        item.update(attrs)
        self.ddb.put_item(TableName=table, Item=item)

    def batches(self, table, until, timeout=30):
        deadline = time.monotonic() + timeout
        got = []
        while time.monotonic() < deadline:
            if os.path.exists(self.out):
                with open(self.out) as f:
                    got = [b for b in (json.loads(l) for l in f if l.strip()) if b["table"] == table]
                if until(got):
                    return got
            time.sleep(0.05)
        raise AssertionError(f"{table}: batches so far: {json.dumps(got)[:3000]}")

    def test_event_shape_batch_size_and_filters(self):
        arn = self.table("Orders")
        self.put("Orders", "order#1", total={"N": "10"}, status={"S": "new"})
        self.put("Orders", "order#2", total={"N": "250"}, status={"S": "new"})
        self.put("Orders", "user#1", total={"N": "20"})                                   # filtered: prefix
        self.ddb.update_item(TableName="Orders", Key={"pk": {"S": "order#1"}},
                             UpdateExpression="SET #s = :s", ExpressionAttributeNames={"#s": "status"},
                             ExpressionAttributeValues={":s": {"S": "paid"}})
        self.ddb.delete_item(TableName="Orders", Key={"pk": {"S": "order#2"}})
        self.put("Orders", "order#3", total={"N": "5"}, status={"S": "cancelled"})        # filtered: anything-but
        self.put("Orders", "order#4", total={"N": "99"}, status={"S": "new"}, gift={"BOOL": True})
        # aws-cli, as a user would: FilterCriteria patterns are JSON strings inside JSON.
        patterns = [
            # prefix on the key, status anything but "cancelled", total in (0, 100]
            {"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "order#"}]}},
                          "NewImage": {"status": {"S": [{"anything-but": ["cancelled"]}]},
                                       "total": {"N": [{"numeric": [">", 0, "<=", 100]}]}}}},
            # or: any REMOVE (no NewImage)
            {"eventName": ["REMOVE"], "dynamodb": {"NewImage": [{"exists": False}]}},
        ]
        criteria = {"Filters": [{"Pattern": json.dumps(p)} for p in patterns]}
        _, m, _ = aws(self.proc, "create-event-source-mapping", "--function-name", "rec", "--event-source-arn", arn,
                      "--starting-position", "TRIM_HORIZON", "--batch-size", "2",
                      "--filter-criteria", json.dumps(criteria))
        self.assertEqual([json.loads(f["Pattern"]) for f in m["FilterCriteria"]["Filters"]], patterns)
        # INSERT order#1 (total 10), MODIFY order#1 (paid), REMOVE order#2, INSERT order#4 pass;
        # order#2's INSERT (total 250), user#1 and order#3 (cancelled) do not.
        got = self.batches("Orders", lambda b: "order#4" in sum((keys_of(x) for x in b), []))
        records = [r for b in got for r in b["records"]]
        self.assertEqual([(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records],
                         [("INSERT", "order#1"), ("MODIFY", "order#1"), ("REMOVE", "order#2"), ("INSERT", "order#4")])
        self.assertTrue(all(1 <= len(b["records"]) <= 2 for b in got), [len(b["records"]) for b in got])
        ins, mod, rem, _ = records
        for r in records:
            self.assertEqual(r["eventSourceARN"], arn)
            self.assertEqual((r["eventSource"], r["awsRegion"]), ("aws:dynamodb", "us-east-1"))
            self.assertEqual(r["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES")
            self.assertIsInstance(r["dynamodb"]["SizeBytes"], int)
            self.assertTrue(r["dynamodb"]["SequenceNumber"].isdigit())
            self.assertIn("eventID", r)
        seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(ins["dynamodb"]["NewImage"], {"pk": {"S": "order#1"}, "total": {"N": "10"}, "status": {"S": "new"}})
        self.assertNotIn("OldImage", ins["dynamodb"])
        self.assertEqual((mod["dynamodb"]["OldImage"]["status"], mod["dynamodb"]["NewImage"]["status"]),
                         ({"S": "new"}, {"S": "paid"}))
        self.assertEqual(rem["dynamodb"]["OldImage"]["total"], {"N": "250"})
        self.assertNotIn("NewImage", rem["dynamodb"])
        # Clearing the filters lets the next records through unfiltered.
        self.lam.update_event_source_mapping(UUID=m["UUID"], FilterCriteria={})
        self.assertNotIn("FilterCriteria", self.lam.get_event_source_mapping(UUID=m["UUID"]))
        self.put("Orders", "user#2")
        self.batches("Orders", lambda b: "user#2" in sum((keys_of(x) for x in b), []))
        self.lam.delete_event_source_mapping(UUID=m["UUID"])

    def test_ttl_deletions_filtered_by_user_identity(self):
        # AWS's pattern for TTL deletions (Lambda developer guide, filtering DynamoDB events): the
        # event names the service that deleted the item as userIdentity {type, principalId}, while
        # the Streams API's GetRecords spells the same members PrincipalId / Type.
        arn = self.table("Sessions")
        self.ddb.update_time_to_live(TableName="Sessions",
                                     TimeToLiveSpecification={"AttributeName": "exp", "Enabled": True})
        self.put("Sessions", "s#old", exp={"N": str(int(time.time()) - 60)})
        self.put("Sessions", "s#user")
        self.ddb.delete_item(TableName="Sessions", Key={"pk": {"S": "s#user"}})        # a user's REMOVE
        pattern = {"userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}}
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=arn, StartingPosition="TRIM_HORIZON",
                                                 FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
        got = self.batches("Sessions", lambda b: any(keys_of(x) for x in b))
        records = [r for b in got for r in b["records"]]
        self.assertEqual([(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records], [("REMOVE", "s#old")])
        self.assertEqual(records[0]["userIdentity"], {"type": "Service", "principalId": "dynamodb.amazonaws.com"})
        self.lam.delete_event_source_mapping(UUID=m["UUID"])

    def test_malformed_filter_is_refused(self):
        arn = self.table("Refused")
        for pattern, where in (('{"eventName":"INSERT"}', "$.eventName"),
                               ('{"a":[{"numeric":[">",5,"<",1]}]}', "$.a[0].numeric"),
                               ('{"a":[{"wildcard":"x*"}]}', "$.a[0].wildcard"), ("{", "$")):
            with self.assertRaises(self.lam.exceptions.InvalidParameterValueException) as e:
                self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=arn, StartingPosition="LATEST",
                                                     FilterCriteria={"Filters": [{"Pattern": pattern}]})
            self.assertIn(where, str(e.exception))
        self.assertEqual(self.lam.list_event_source_mappings(EventSourceArn=arn)["EventSourceMappings"], [])

    def test_batching_window_gathers_one_batch(self):
        arn = self.table("Window", view="NEW_IMAGE")
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=arn, StartingPosition="TRIM_HORIZON",
                                                 BatchSize=100, MaximumBatchingWindowInSeconds=3)
        self.put("Window", "w1")
        self.put("Window", "w2")
        self.put("Window", "w3")
        got = self.batches("Window", lambda b: len(sum((keys_of(x) for x in b), [])) >= 3)
        # The window holds the batch open for 3 s after its first record: the three writes made
        # within it arrive together.
        self.assertEqual([keys_of(b) for b in got], [["w1", "w2", "w3"]])
        self.assertEqual(got[0]["records"][0]["dynamodb"]["StreamViewType"], "NEW_IMAGE")
        self.lam.delete_event_source_mapping(UUID=m["UUID"])

    def test_failing_record_bisected_retried_then_dropped(self):
        arn = self.table("Poison")
        for pk in ("p1", "p2"):
            self.put("Poison", pk)
        self.put("Poison", "bad", poison={"BOOL": True})
        self.put("Poison", "p3")
        m = self.lam.create_event_source_mapping(FunctionName="rec", EventSourceArn=arn, StartingPosition="TRIM_HORIZON",
                                                 BatchSize=4, MaximumRetryAttempts=1, BisectBatchOnFunctionError=True)
        got = self.batches("Poison", lambda b: "p3" in sum((keys_of(x) for x in b if x["ok"]), []))
        delivered = sum((keys_of(x) for x in got if x["ok"]), [])
        self.assertEqual(delivered, ["p1", "p2", "p3"])
        failed = [keys_of(x) for x in got if not x["ok"]]
        # The whole batch fails, is halved, the half with the bad record fails and is halved again;
        # `bad` alone fails once more (its retry) and is dropped.
        self.assertEqual(failed[0], ["p1", "p2", "bad", "p3"])
        self.assertEqual(failed[-1], ["bad"])
        self.assertTrue(all("bad" in f for f in failed))
        logs = urllib.request.urlopen(self.proc.url() + "/_cdnlab/logs/rec").read().decode()
        self.assertIn(f"Event source mapping {m['UUID']} dropped 1 record(s)", logs)
        self.lam.delete_event_source_mapping(UUID=m["UUID"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
