"""`cdnlab store`'s table-level answers where they must match DynamoDB's documented behaviour: the
TableDescription DeleteTable returns, CreationDateTime to the millisecond, TableClass checks and
TableClassSummary, duplicate NonKeyAttributes, an index created later (its key named in the
request's AttributeDefinitions, items with an empty key value left out), tagging restrictions, ARN
checks of the tag and Streams operations, the Streams Identity shape of TTL deletions,
DescribeStream paging by ExclusiveStartShardId, the health check and DescribeEndpoints naming the
endpoint reached, compressed answers, and CORS."""
import binascii
import gzip
import http.client
import json
import os
import re
import sys
import time
import unittest
import zlib

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, dynamodb_request  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

CREDS = dict(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
HASH = dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class StoreConformanceTables(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory", "--ttl-interval-ms", "50"])
        cfg = Config(retries={"max_attempts": 1}, parameter_validation=False)
        cls.ddb = boto3.client("dynamodb", endpoint_url=cls.proc.url(), config=cfg, **CREDS)
        cls.streams = boto3.client("dynamodbstreams", endpoint_url=cls.proc.url(), config=cfg, **CREDS)

    @classmethod
    def tearDownClass(cls):
        cls.ddb.close()
        cls.streams.close()
        cls.proc.stop()

    def error(self, call, **kw):
        with self.assertRaises(ClientError) as e:
            call(**kw)
        return e.exception.response["Error"]["Code"], e.exception.response["Error"]["Message"]

    def http(self, method, path, headers=None):
        host, port = self.proc.addr["http"]
        conn = http.client.HTTPConnection(host, port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode()
        finally:
            conn.close()

    def test_delete_table_describes_the_table_without_its_schema(self):
        self.ddb.create_table(
            TableName="Gone", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "x")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "byX", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}],
            LocalSecondaryIndexes=[{"IndexName": "local", "Projection": {"ProjectionType": "ALL"},
                                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "x", "KeyType": "RANGE"}]}])
        d = self.ddb.delete_table(TableName="Gone")["TableDescription"]
        self.assertEqual((d["TableName"], d["TableStatus"]), ("Gone", "DELETING"))
        self.assertRegex(d["TableId"], UUID)
        self.assertTrue(d["TableArn"].endswith(":table/Gone"))
        self.assertEqual(d["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(d["ProvisionedThroughput"],
                         {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0})
        for member in ("KeySchema", "AttributeDefinitions", "CreationDateTime", "GlobalSecondaryIndexes",
                       "LocalSecondaryIndexes"):
            self.assertNotIn(member, d)

    def test_creation_date_time_has_milliseconds(self):
        self.ddb.create_table(TableName="First", **HASH)
        time.sleep(0.003)
        self.ddb.create_table(TableName="Second", **HASH)
        first = self.ddb.describe_table(TableName="First")["Table"]
        second = self.ddb.describe_table(TableName="Second")["Table"]
        self.assertLess(first["CreationDateTime"], second["CreationDateTime"])
        self.assertEqual(first["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"], first["CreationDateTime"])
        self.assertLess(abs(first["CreationDateTime"].timestamp() - time.time()), 60)

    def test_table_class_checks_and_summary(self):
        msg = ("Invalid table-class parameter provided. Please try again with a valid table-class value: "
               "[STANDARD, STANDARD_INFREQUENT_ACCESS].")
        self.assertEqual(self.error(self.ddb.create_table, TableName="Cls", TableClass="standard", **HASH),
                         ("ValidationException", msg))
        t = self.ddb.create_table(TableName="Cls", TableClass="STANDARD_INFREQUENT_ACCESS", **HASH)
        self.assertEqual(t["TableDescription"]["TableClassSummary"], {"TableClass": "STANDARD_INFREQUENT_ACCESS"})
        self.assertEqual(self.error(self.ddb.update_table, TableName="Cls", TableClass="junk"),
                         ("ValidationException", msg))
        u = self.ddb.update_table(TableName="Cls", TableClass="STANDARD")["TableDescription"]["TableClassSummary"]
        self.assertEqual(u["TableClass"], "STANDARD")
        self.assertIn("LastUpdateDateTime", u)

    def test_index_created_later_leaves_out_empty_key_values(self):
        self.ddb.create_table(TableName="Later", **HASH)
        self.ddb.put_item(TableName="Later", Item={"pk": {"S": "a"}, "x": {"S": "hello"}})
        self.ddb.put_item(TableName="Later", Item={"pk": {"S": "b"}, "x": {"S": ""}})  # legal on a non-key attribute
        self.ddb.update_table(TableName="Later", AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                              GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "byX", "Projection": {"ProjectionType": "ALL"},
                                                                       "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}]}}])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            gsi = self.ddb.describe_table(TableName="Later")["Table"]["GlobalSecondaryIndexes"][0]
            if gsi["IndexStatus"] == "ACTIVE":
                break
            time.sleep(0.05)
        self.assertEqual(gsi["IndexStatus"], "ACTIVE")
        items = self.ddb.scan(TableName="Later", IndexName="byX")["Items"]
        self.assertEqual(items, [{"pk": {"S": "a"}, "x": {"S": "hello"}}])

    def test_new_index_key_must_be_in_the_request_attribute_definitions(self):
        self.ddb.create_table(TableName="WithLsi", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "x")],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                              LocalSecondaryIndexes=[{"IndexName": "local", "Projection": {"ProjectionType": "ALL"},
                                                      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                    {"AttributeName": "x", "KeyType": "RANGE"}]}])
        create = {"Create": {"IndexName": "byX", "Projection": {"ProjectionType": "ALL"},
                             "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}]}}
        code, msg = self.error(self.ddb.update_table, TableName="WithLsi", GlobalSecondaryIndexUpdates=[create])
        self.assertEqual(code, "ValidationException")
        self.assertIn("AttributeDefinitions", msg)
        self.assertNotIn("GlobalSecondaryIndexes", self.ddb.describe_table(TableName="WithLsi")["Table"])
        self.ddb.update_table(TableName="WithLsi", AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                              GlobalSecondaryIndexUpdates=[create])
        self.assertEqual(self.error(self.ddb.update_table, TableName="WithLsi",
                                    AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                                    GlobalSecondaryIndexUpdates=[{"Create": dict(create["Create"], IndexName="local")}]),
                         ("ValidationException", "One or more parameter values were invalid: Index already exists: local"))

    def test_duplicate_non_key_attributes_are_refused(self):
        code, msg = self.error(self.ddb.create_table, TableName="DupNk", BillingMode="PAY_PER_REQUEST",
                               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                     {"AttributeName": "x", "AttributeType": "S"}],
                               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                               GlobalSecondaryIndexes=[{"IndexName": "byX", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                                        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "a"]}}])
        self.assertEqual(code, "ValidationException")
        self.assertIn("Duplicate", msg)
        self.assertEqual(self.error(self.ddb.describe_table, TableName="DupNk")[0], "ResourceNotFoundException")

    def test_duplicate_attribute_definition_is_named(self):
        self.assertEqual(self.error(self.ddb.create_table, TableName="Dup", BillingMode="PAY_PER_REQUEST",
                                    KeySchema=[{"AttributeName": "xyz", "KeyType": "HASH"}],
                                    AttributeDefinitions=[{"AttributeName": "xyz", "AttributeType": "S"},
                                                          {"AttributeName": "xyz", "AttributeType": "N"}]),
                         ("ValidationException", "Attribute Name is duplicated: xyz"))

    def test_tagging_restrictions(self):
        arn = self.ddb.create_table(TableName="Tagged", **HASH)["TableDescription"]["TableArn"]
        allowed = [{"Key": "team name", "Value": "a+b-c=d.e_f:g/h"}, {"Key": "ключ", "Value": "значение"}]
        self.ddb.tag_resource(ResourceArn=arn, Tags=allowed)
        for bad in ({"Key": "hi!", "Value": "v"}, {"Key": "k", "Value": "d%g"}, {"Key": "k", "Value": '"q"'},
                    {"Key": "aws:owner", "Value": "v"}):
            self.assertEqual(self.error(self.ddb.tag_resource, ResourceArn=arn, Tags=[bad])[0], "ValidationException")
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": str(i), "Value": str(i)} for i in range(48)])
        self.assertEqual(len(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]), 50)
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "0", "Value": "again"}])  # an existing key: still 50
        self.assertEqual(self.error(self.ddb.tag_resource, ResourceArn=arn, Tags=[{"Key": "one more", "Value": "v"}])[0],
                         "ValidationException")
        self.assertEqual(len(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]), 50)
        self.assertEqual(self.error(self.ddb.create_table, TableName="TooMany",
                                    Tags=[{"Key": str(i), "Value": "v"} for i in range(51)], **HASH)[0],
                         "ValidationException")
        self.assertEqual(self.error(self.ddb.describe_table, TableName="TooMany")[0], "ResourceNotFoundException")

    def test_tag_operations_refuse_what_is_not_an_arn(self):
        self.assertEqual(self.error(self.ddb.tag_resource, ResourceArn="Orders", Tags=[{"Key": "k", "Value": "v"}]),
                         ("ValidationException", "One or more parameter values were invalid: ARNs must start with 'arn:': Orders"))
        self.assertEqual(self.error(self.ddb.list_tags_of_resource, ResourceArn="nope")[0], "ValidationException")

    def test_tag_and_untag_answer_an_empty_body(self):
        # Neither operation has output members; DynamoDB answers 200 with no body at all (not `{}`).
        arn = self.ddb.create_table(TableName="TaggedEmpty", **HASH)["TableDescription"]["TableArn"]
        for target, body in (("TagResource", {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}),
                             ("UntagResource", {"ResourceArn": arn, "TagKeys": ["k"]})):
            status, headers, raw = dynamodb_request(self.proc.addr["http"], target, body)
            self.assertEqual((status, raw), (200, b""), target)
            self.assertEqual(headers["x-amz-crc32"], "0")
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [])

    def test_streams_check_arns_and_page_shards(self):
        t = self.ddb.create_table(TableName="Streamed", StreamSpecification={"StreamEnabled": True,
                                                                             "StreamViewType": "KEYS_ONLY"}, **HASH)
        arn = t["TableDescription"]["LatestStreamArn"]
        for call, kw in ((self.streams.describe_stream, {"StreamArn": "not-a-stream-arn-at-all-but-long-enough-1"}),
                         (self.streams.list_streams, {"ExclusiveStartStreamArn": "not-a-stream-arn-at-all-but-long-enough"}),
                         (self.streams.get_shard_iterator, {"StreamArn": "not-a-stream-arn-at-all-but-long-enough-1",
                                                            "ShardId": "shardId-00000000000000000001-00000000",
                                                            "ShardIteratorType": "LATEST"})):
            self.assertEqual(self.error(call, **kw), ("ValidationException", "Invalid StreamArn"))
        # A well-formed ARN of no stream is a missing resource, not a malformed one.
        self.assertEqual(self.error(self.streams.describe_stream, StreamArn=arn + "0")[0], "ResourceNotFoundException")
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        after = self.streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="zzzzzzzzzzzzzzzzzzzzzzzzzzzz")
        self.assertEqual(after["StreamDescription"]["Shards"], [])
        before = self.streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="aaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        self.assertEqual([s["ShardId"] for s in before["StreamDescription"]["Shards"]], [shard])

    def test_ttl_deletion_record_names_the_service(self):
        t = self.ddb.create_table(TableName="Expiring", StreamSpecification={"StreamEnabled": True,
                                                                             "StreamViewType": "NEW_AND_OLD_IMAGES"}, **HASH)
        arn = t["TableDescription"]["LatestStreamArn"]
        self.ddb.update_time_to_live(TableName="Expiring", TimeToLiveSpecification={"AttributeName": "exp", "Enabled": True})
        self.ddb.put_item(TableName="Expiring", Item={"pk": {"S": "a"}, "exp": {"N": str(int(time.time()) - 60)}})
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records, deadline = [], time.monotonic() + 20
        while len(records) < 2 and time.monotonic() < deadline:
            r = self.streams.get_records(ShardIterator=it)
            records += r["Records"]
            it = r["NextShardIterator"]
            time.sleep(0.05)
        self.assertEqual([r["eventName"] for r in records], ["INSERT", "REMOVE"])
        self.assertNotIn("userIdentity", records[0])
        # The Streams API's Identity members (API reference, streams Identity): PrincipalId and Type.
        self.assertEqual(records[1]["userIdentity"], {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})

    def test_health_check_and_describe_endpoints_name_the_endpoint(self):
        host, port = self.proc.addr["http"]
        status, _, body = self.http("GET", "/")
        self.assertEqual((status, body.strip()), (200, f"healthy: {host}:{port}"))
        for path in ("/abc", "/health", "/index.htm"):
            self.assertIn(self.http("GET", path)[0], range(400, 405), path)
        endpoints = self.ddb.describe_endpoints()["Endpoints"]
        self.assertEqual(endpoints, [{"Address": f"{host}:{port}", "CachePeriodInMinutes": 1440}])
        again = boto3.client("dynamodb", endpoint_url="http://" + endpoints[0]["Address"], **CREDS)
        self.assertEqual(again.describe_endpoints()["Endpoints"], endpoints)
        again.close()

    def test_answers_of_4_kb_or_more_are_compressed_when_accepted(self):
        self.ddb.create_table(TableName="Big", **HASH)
        self.ddb.put_item(TableName="Big", Item={"pk": {"S": "k"}, "v": {"S": "x" * 5000}})
        self.ddb.put_item(TableName="Big", Item={"pk": {"S": "small"}, "v": {"S": "y"}})

        def get(key, accept):
            status, headers, body = dynamodb_request(
                self.proc.addr["http"], "GetItem", {"TableName": "Big", "Key": {"pk": {"S": key}}},
                headers={} if accept is None else {"Accept-Encoding": accept})
            self.assertEqual(status, 200)
            self.assertEqual(int(headers["x-amz-crc32"]), binascii.crc32(body))  # over the bytes sent
            return headers.get("content-encoding"), body

        enc, body = get("k", None)
        self.assertIsNone(enc)
        plain = json.loads(body)
        enc, body = get("k", "gzip")
        self.assertEqual((enc, json.loads(gzip.decompress(body))), ("gzip", plain))
        enc, body = get("k", "br, deflate;q=0.9, gzip;q=0.5")
        self.assertEqual((enc, json.loads(zlib.decompress(body))), ("deflate", plain))
        self.assertEqual(get("k", "gzip;q=0, identity")[0], None)
        self.assertEqual(get("small", "gzip")[0], None)  # under 4 KB: as it is

    def test_cors(self):
        for method in ("GET", "POST", "OPTIONS"):
            _, headers, _ = self.http(method, "/")
            self.assertFalse([h for h in headers if h.startswith("access-control-")], method)
        origin = {"Origin": "http://example.com"}
        for method in ("GET", "POST"):
            _, headers, _ = self.http(method, "/", origin)
            self.assertEqual(headers["access-control-allow-origin"], "*")
            self.assertIn("x-amzn-RequestId", headers["access-control-expose-headers"])
            self.assertNotIn("access-control-max-age", headers)
        status, headers, _ = self.http("OPTIONS", "/", dict(origin, **{"Access-Control-Request-Method": "POST",
                                                                       "Access-Control-Request-Headers": "x-amz-target, content-type"}))
        self.assertEqual(status, 200)
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertIn("access-control-max-age", headers)
        self.assertEqual(headers["access-control-allow-methods"], "POST")
        self.assertEqual(headers["access-control-allow-headers"], "x-amz-target, content-type")


if __name__ == "__main__":
    unittest.main()
