"""`cdnlab store` as real clients see it: boto3 and aws-cli `dynamodbstreams` against the Streams API
on the store's endpoint (records survive a restart on the same data directory), boto3 with the
legacy parameters (Expected, AttributeUpdates, KeyConditions, ScanFilter), and AWS's error types."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

CREDS = dict(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")


class StoreStreams(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cdnlab-streams-e2e-")
        self.proc = None

    def tearDown(self):
        if self.proc:
            self.proc.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, *extra):
        self.proc = Proc(["store", "--listen", "127.0.0.1:0", "--data", self.dir, "--sync", "batch", *extra])
        url = self.proc.url()
        cfg = Config(retries={"max_attempts": 1})
        self.ddb = boto3.client("dynamodb", endpoint_url=url, config=cfg, **CREDS)
        self.streams = boto3.client("dynamodbstreams", endpoint_url=url, config=cfg, **CREDS)
        return url

    def aws(self, url, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s", AWS_DEFAULT_REGION="us-east-1")
        out = subprocess.run(["/usr/bin/aws", "--endpoint-url", url, "--output", "json", *args],
                             capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def all_records(self, arn):
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        return self.streams.get_records(ShardIterator=it)["Records"]

    def test_streams_with_boto3_and_awscli_survive_restart(self):
        url = self.start()
        t = self.ddb.create_table(
            TableName="Events", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        arn = t["TableDescription"]["LatestStreamArn"]
        self.ddb.put_item(TableName="Events", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
        self.ddb.update_item(TableName="Events", Key={"pk": {"S": "a"}},
                             UpdateExpression="SET n = n + :one", ExpressionAttributeValues={":one": {"N": "1"}})
        self.ddb.delete_item(TableName="Events", Key={"pk": {"S": "a"}})
        recs = self.all_records(arn)
        self.assertEqual([r["eventName"] for r in recs], ["INSERT", "MODIFY", "REMOVE"])
        self.assertEqual(recs[1]["dynamodb"]["NewImage"]["n"], {"N": "2"})
        self.assertEqual(recs[2]["dynamodb"]["OldImage"]["n"], {"N": "2"})

        self.proc.stop()
        url = self.start()
        self.assertEqual(self.ddb.describe_table(TableName="Events")["Table"]["LatestStreamArn"], arn)
        self.assertEqual([r["eventName"] for r in self.all_records(arn)], ["INSERT", "MODIFY", "REMOVE"])
        streams = self.aws(url, "dynamodbstreams", "list-streams", "--table-name", "Events")["Streams"]
        self.assertEqual([s["StreamArn"] for s in streams], [arn])
        desc = self.aws(url, "dynamodbstreams", "describe-stream", "--stream-arn", arn)["StreamDescription"]
        it = self.aws(url, "dynamodbstreams", "get-shard-iterator", "--stream-arn", arn, "--shard-id",
                      desc["Shards"][0]["ShardId"], "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        got = self.aws(url, "dynamodbstreams", "get-records", "--shard-iterator", it)["Records"]
        self.assertEqual(len(got), 3)
        self.assertEqual(got[0]["dynamodb"]["Keys"], {"pk": {"S": "a"}})

    def test_reads_before_the_trim_horizon_are_trimmed_data_access(self):
        # Three seconds of retention, swept every 100 ms: the record is trimmed a few seconds after its write.
        self.start("--stream-retention-s", "3", "--ttl-interval-ms", "100")
        t = self.ddb.create_table(
            TableName="Short", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        arn = t["TableDescription"]["LatestStreamArn"]
        self.ddb.put_item(TableName="Short", Item={"pk": {"S": "gone"}})
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        seq = self.all_records(arn)[0]["dynamodb"]["SequenceNumber"]
        it = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                             SequenceNumber=seq)["ShardIterator"]
        trimmed = None
        deadline = time.monotonic() + 15
        while trimmed is None and time.monotonic() < deadline:
            try:
                self.assertEqual(len(self.streams.get_records(ShardIterator=it)["Records"]), 1)
                time.sleep(0.1)  # the sweeper has not run past the record's second yet
            except self.streams.exceptions.TrimmedDataAccessException as e:
                trimmed = e
        self.assertIsNotNone(trimmed, "the record was never trimmed")
        self.assertEqual(trimmed.response["Error"]["Message"], "The data you are trying to access has been trimmed.")
        with self.assertRaises(self.streams.exceptions.TrimmedDataAccessException):
            self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                            SequenceNumber=seq)
        # TRIM_HORIZON starts after the trimmed record; the stream goes on.
        self.assertEqual(self.all_records(arn), [])
        self.ddb.put_item(TableName="Short", Item={"pk": {"S": "new"}})
        fresh = self.all_records(arn)
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in fresh], ["new"])
        self.assertGreater(int(fresh[0]["dynamodb"]["SequenceNumber"]), int(seq))

    def test_legacy_parameters_and_error_types_with_boto3(self):
        self.start()
        self.ddb.create_table(
            TableName="Legacy", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
        self.ddb.put_item(TableName="Legacy", Item=dict(key, v={"N": "1"}), Expected={"pk": {"Exists": False}})
        with self.assertRaises(ClientError) as e:
            self.ddb.put_item(TableName="Legacy", Item=key, Expected={"pk": {"Exists": False}})
        self.assertEqual(e.exception.response["Error"]["Code"], "ConditionalCheckFailedException")
        r = self.ddb.update_item(TableName="Legacy", Key=key, ReturnValues="ALL_NEW",
                                 AttributeUpdates={"v": {"Action": "ADD", "Value": {"N": "4"}},
                                                   "tags": {"Action": "PUT", "Value": {"SS": ["x"]}}},
                                 Expected={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})
        self.assertEqual(r["Attributes"]["v"], {"N": "5"})
        q = self.ddb.query(TableName="Legacy", KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
            "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "1"}]}})
        self.assertEqual(q["Count"], 1)
        s = self.ddb.scan(TableName="Legacy", ScanFilter={
            "v": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "9"}]}})
        self.assertEqual(s["Count"], 0)
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName="NoSuchTable", Key=key, ProjectionExpression="v", AttributesToGet=["v"])
        self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
        self.assertIn("Can not use both expression and non-expression parameters", e.exception.response["Error"]["Message"])
        with self.assertRaises(ClientError) as e:
            self.ddb.get_item(TableName="NoSuchTable", Key=key)
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
