"""`cdnlab store --enforce-throughput`: PROVISIONED tables throttled to their capacity units, as
boto3 sees it. BatchWriteItem hands back what the table cannot take as UnprocessedItems and a
client that resends them with back-off (a hand-written loop, and boto3's own batch_writer)
gets everything written; BatchGetItem does the same with UnprocessedKeys; a single write past
the capacity is a ProvisionedThroughputExceededException, and one past an on-demand table's
MaxWriteRequestUnits a ThrottlingException."""
import os
import random
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, dynamodb_call  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

CREDS = dict(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
DEADLINE_S = 40  # every retry loop below ends by then, whatever the machine's load


class StoreThroughput(unittest.TestCase):
    def setUp(self):
        # One second of burst: a table holds one second of its capacity, so throttling shows at once.
        self.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory", "--enforce-throughput",
                          "--burst-seconds", "1"])
        self.url = self.proc.url()
        # No SDK retries: the test sees every throttled answer itself.
        self.ddb = boto3.client("dynamodb", endpoint_url=self.url, config=Config(retries={"max_attempts": 1}), **CREDS)

    def tearDown(self):
        self.ddb.close()
        self.proc.stop()

    def create(self, name, rcu, wcu):
        self.ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              ProvisionedThroughput={"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu})

    def all_items(self, table):
        items, start = [], None
        while True:
            kw = {"ExclusiveStartKey": start} if start else {}
            page = self.ddb.scan(TableName=table, ConsistentRead=True, **kw)
            items += page["Items"]
            start = page.get("LastEvaluatedKey")
            if not start:
                return {i["pk"]["S"]: i for i in items}

    def test_batch_write_retrying_unprocessed_items_writes_everything(self):
        self.create("Events", 1000, 10)
        wanted = {f"e{i:03d}": {"pk": {"S": f"e{i:03d}"}, "n": {"N": str(i)}, "body": {"S": "x" * 200}} for i in range(60)}
        pending = [{"PutRequest": {"Item": item}} for item in wanted.values()]
        unprocessed_seen = throttled_seen = calls = 0
        deadline = time.monotonic() + DEADLINE_S
        delay = 0.05
        while pending and time.monotonic() < deadline:
            batch, pending = pending[:25], pending[25:]
            calls += 1
            try:
                resp = self.ddb.batch_write_item(RequestItems={"Events": batch})
            except ClientError as e:
                # Nothing at all could be written this time: the whole batch is refused.
                self.assertEqual(e.response["Error"]["Code"], "ProvisionedThroughputExceededException")
                throttled_seen += 1
                pending = batch + pending
                time.sleep(delay)  # exponential back-off, as AWS's documentation asks of clients
                delay = min(delay * 2, 1.0)
                continue
            left = resp["UnprocessedItems"].get("Events", [])
            if left:
                unprocessed_seen += 1
                # Returned in the shape they were sent, so they can be resent as they are.
                for r in left:
                    self.assertIn(r, batch)
                pending = left + pending
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            else:
                delay = 0.05
        self.assertEqual(pending, [], f"not everything written in {DEADLINE_S} s ({calls} calls)")
        # 10 write units a second cannot take 25 items at once: the first call already hands some back.
        self.assertGreater(unprocessed_seen, 0)
        self.assertEqual(self.all_items("Events"), wanted)

    def test_boto3_batch_writer_resends_unprocessed_items(self):
        self.create("Logs", 1000, 5)
        # batch_writer resends UnprocessedItems itself; SDK retries with back-off cover whole-batch refusals.
        retrying = boto3.resource("dynamodb", endpoint_url=self.url,
                                  config=Config(retries={"max_attempts": 20, "mode": "standard"}), **CREDS)
        table = retrying.Table("Logs")
        with table.batch_writer() as w:
            for i in range(40):
                w.put_item(Item={"pk": f"l{i:02d}", "i": i})
        got = self.all_items("Logs")
        self.assertEqual(sorted(got), [f"l{i:02d}" for i in range(40)])
        self.assertEqual(got["l07"]["i"], {"N": "7"})

    def test_single_writes_past_the_capacity_are_throttled(self):
        self.create("Tiny", 1000, 1)
        # One write unit a second: of 50 writes sent back to back, one is refused long before the
        # last, however slow the machine (it would take 50 s of stalls to let them all through).
        written, refused = [], None
        for i in range(50):
            try:
                self.ddb.put_item(TableName="Tiny", Item={"pk": {"S": f"k{i}"}})
                written.append(f"k{i}")
            except ClientError as e:
                refused = (f"k{i}", e.response)
                break
        self.assertIsNotNone(refused, "50 writes at 1 WCU were never throttled")
        key, err = refused
        self.assertEqual(err["Error"]["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertIn("provisioned throughput for the table was exceeded", err["Error"]["Message"])
        self.assertEqual(sorted(self.all_items("Tiny")), sorted(written))  # the refused write is not there

    def test_batch_get_retrying_unprocessed_keys_reads_everything(self):
        self.create("Users", 2, 1000)
        for i in range(30):
            self.ddb.put_item(TableName="Users", Item={"pk": {"S": f"u{i:02d}"}, "age": {"N": str(20 + i)}})
        keys = [{"pk": {"S": f"u{i:02d}"}} for i in range(30)]
        random.Random(7).shuffle(keys)
        request = {"Users": {"Keys": keys, "ProjectionExpression": "pk, age"}}
        found, partial = {}, 0
        deadline = time.monotonic() + DEADLINE_S
        delay = 0.05
        while request and time.monotonic() < deadline:
            try:
                resp = self.ddb.batch_get_item(RequestItems=request)
            except ClientError as e:
                self.assertEqual(e.response["Error"]["Code"], "ProvisionedThroughputExceededException")
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            for item in resp["Responses"].get("Users", []):
                found[item["pk"]["S"]] = item["age"]["N"]
            request = resp["UnprocessedKeys"]
            if request:
                partial += 1
                self.assertEqual(request["Users"]["ProjectionExpression"], "pk, age")
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
        self.assertEqual(request, {}, f"keys left after {DEADLINE_S} s")
        self.assertGreater(partial, 0)  # 2 read units (4 eventually consistent reads) cannot take 30 keys at once
        self.assertEqual(found, {f"u{i:02d}": str(20 + i) for i in range(30)})


    def test_on_demand_maximum_is_a_throttling_exception(self):
        # An on-demand table capped at 3 write units a second (set through the wire: Debian's
        # boto3 predates OnDemandThroughput): past that, puts are DynamoDB's ThrottlingException.
        addr = self.proc.addr["http"]
        status, body = dynamodb_call(addr, "CreateTable", {
            "TableName": "Capped", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST",
            "OnDemandThroughput": {"MaxWriteRequestUnits": 3}})
        self.assertEqual(status, 200, body)
        throttled = None
        deadline = time.monotonic() + DEADLINE_S
        n = 0
        while throttled is None and time.monotonic() < deadline:
            try:
                self.ddb.put_item(TableName="Capped", Item={"pk": {"S": f"k{n}"}})
            except ClientError as e:
                throttled = e.response
            n += 1
        self.assertIsNotNone(throttled, f"no throttle in {DEADLINE_S} s")
        self.assertGreaterEqual(n, 4)  # at least the three a second allows went through
        self.assertEqual(throttled["Error"]["Code"], "ThrottlingException")
        self.assertEqual(throttled["Error"]["Message"], "Rate of requests exceeds the allowed throughput.")
        # The reason and the resource, read off the wire (a newer botocore parses them as
        # e.response["throttlingReasons"]).
        reasons = None
        while reasons is None and time.monotonic() < deadline:
            status, body = dynamodb_call(addr, "PutItem", {"TableName": "Capped", "Item": {"pk": {"S": "raw"}}})
            if status == 400:
                reasons = body["throttlingReasons"]
        self.assertEqual(reasons, [{"reason": "TableWriteMaxOnDemandThroughputExceeded",
                                    "resource": "arn:aws:dynamodb:us-east-1:000000000000:table/Capped"}])
        # Lifting the maximum (-1) ends the throttling at once.
        status, body = dynamodb_call(addr, "UpdateTable", {"TableName": "Capped", "OnDemandThroughput": {"MaxWriteRequestUnits": -1}})
        self.assertEqual(status, 200, body)
        for i in range(20):
            self.ddb.put_item(TableName="Capped", Item={"pk": {"S": f"free{i}"}})

if __name__ == "__main__":
    unittest.main()
