"""Global secondary indexes with multi-attribute keys (up to four HASH and four RANGE attributes,
DynamoDB since November 2025) through boto3 against a real `cdnlab store`: created with the table
or by UpdateTable, described as created, kept by writes, queried left to right over the sort
attributes, paginated with boto3's own paginator, scanned.

Debian's botocore still models KeySchema with at most two elements, so the client turns its
parameter validation off, as a user of that botocore has to."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

CREDS = dict(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")

KEY = [{"AttributeName": "tenant", "KeyType": "HASH"}, {"AttributeName": "region", "KeyType": "HASH"},
       {"AttributeName": "status", "KeyType": "RANGE"}, {"AttributeName": "due", "KeyType": "RANGE"}]
DEFS = [{"AttributeName": "tenant", "AttributeType": "S"}, {"AttributeName": "region", "AttributeType": "N"},
        {"AttributeName": "status", "AttributeType": "S"}, {"AttributeName": "due", "AttributeType": "N"}]
NAMES = {"#r": "region", "#s": "status"}


def order(pk, tenant, region, status=None, due=None):
    item = {"pk": {"S": pk}, "tenant": {"S": tenant}, "region": {"N": str(region)}}
    if status is not None:
        item["status"] = {"S": status}
    if due is not None:
        item["due"] = {"N": str(due)}
    return item


ORDERS = [order("o1", "acme", 1, "open", 30), order("o2", "acme", 1, "open", 10), order("o3", "acme", 1, "done", 20),
          order("o4", "acme", 1, "open", 20), order("o5", "acme", 2, "open", 5), order("o6", "beta", 1, "open", 15),
          order("o7", "acme", 1, "open"), order("o8", "acme", 1, None, 3)]  # o7, o8 lack a key attribute


class StoreMultiKeyGsi(unittest.TestCase):
    def setUp(self):
        self.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        self.ddb = boto3.client("dynamodb", endpoint_url=self.proc.url(),
                                config=Config(retries={"max_attempts": 1}, parameter_validation=False), **CREDS)

    def tearDown(self):
        self.ddb.close()
        self.proc.stop()

    def create(self, with_index=True):
        extra = {}
        if with_index:
            extra = {"GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": KEY, "Projection": {"ProjectionType": "ALL"}}]}
        self.ddb.create_table(TableName="Orders", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}] + (DEFS if with_index else []),
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], **extra)
        self.ddb.batch_write_item(RequestItems={"Orders": [{"PutRequest": {"Item": i}} for i in ORDERS]})

    def query(self, cond, **values):
        vals = {k: v for k, v in {":t": {"S": "acme"}, ":r": {"N": "1"}}.items() if k in cond}
        vals.update(values)
        names = {k: v for k, v in NAMES.items() if k in cond}
        r = self.ddb.query(TableName="Orders", IndexName="gsi", KeyConditionExpression=cond,
                           ExpressionAttributeValues=vals, **({"ExpressionAttributeNames": names} if names else {}))
        return [i["pk"]["S"] for i in r["Items"]]

    def test_describe_query_and_sparse_entries(self):
        self.create()
        gsi = self.ddb.describe_table(TableName="Orders")["Table"]["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["KeySchema"], KEY)
        self.assertEqual(gsi["ItemCount"], 6)  # o7 and o8 lack a key attribute: not in the index
        # Sorted by (status, due) within the (tenant, region) partition.
        self.assertEqual(self.query("tenant = :t AND #r = :r"), ["o3", "o2", "o4", "o1"])
        self.assertEqual(self.query("tenant = :t AND #r = :r AND #s = :s", **{":s": {"S": "open"}}), ["o2", "o4", "o1"])
        self.assertEqual(self.query("tenant = :t AND #r = :r AND #s = :s AND due BETWEEN :a AND :b",
                                    **{":s": {"S": "open"}, ":a": {"N": "15"}, ":b": {"N": "30"}}), ["o4", "o1"])
        self.assertEqual(self.query("tenant = :t AND #r = :r AND begins_with(#s, :s)", **{":s": {"S": "do"}}), ["o3"])
        scanned = self.ddb.scan(TableName="Orders", IndexName="gsi")["Items"]
        self.assertEqual(sorted(i["pk"]["S"] for i in scanned), ["o1", "o2", "o3", "o4", "o5", "o6"])

    def test_key_condition_errors(self):
        self.create()
        cases = [("tenant = :t AND #s = :s", {":s": {"S": "open"}}, "Query condition missed key schema element: region"),
                 ("tenant = :t AND #r = :r AND due > :d", {":d": {"N": "1"}},
                  "Query condition missed key schema element: status"),
                 ("tenant = :t AND #r = :r AND #s > :s AND due = :d", {":s": {"S": "a"}, ":d": {"N": "1"}},
                  "Query key condition not supported")]
        for cond, values, message in cases:
            with self.assertRaises(ClientError) as e:
                self.query(cond, **values)
            self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException", cond)
            self.assertEqual(e.exception.response["Error"]["Message"], message, cond)

    def test_paginator_resumes_from_every_key_attribute(self):
        self.create()
        pages = list(self.ddb.get_paginator("query").paginate(
            TableName="Orders", IndexName="gsi", KeyConditionExpression="tenant = :t AND #r = :r",
            ExpressionAttributeNames={"#r": "region"}, ExpressionAttributeValues={":t": {"S": "acme"}, ":r": {"N": "1"}},
            PaginationConfig={"PageSize": 3}))
        self.assertEqual(sorted(pages[0]["LastEvaluatedKey"]), ["due", "pk", "region", "status", "tenant"])
        self.assertEqual([i["pk"]["S"] for p in pages for i in p["Items"]], ["o3", "o2", "o4", "o1"])

    def test_update_table_adds_the_index_and_backfills(self):
        self.create(with_index=False)
        self.ddb.update_table(TableName="Orders", AttributeDefinitions=DEFS, GlobalSecondaryIndexUpdates=[
            {"Create": {"IndexName": "gsi", "KeySchema": KEY, "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
        gsi = self.ddb.describe_table(TableName="Orders")["Table"]["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["KeySchema"], KEY)
        self.assertEqual(self.query("tenant = :t AND #r = :r AND #s = :s AND due > :d",
                                    **{":s": {"S": "open"}, ":d": {"N": "10"}}), ["o4", "o1"])

    def test_key_schema_refusals(self):
        def refused(key, defs, lsi=False):
            names = sorted({k["AttributeName"] for k in key} | {"pk", "sk"})
            kind = "LocalSecondaryIndexes" if lsi else "GlobalSecondaryIndexes"
            with self.assertRaises(ClientError) as e:
                self.ddb.create_table(
                    TableName="Bad", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in names if n in defs],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                    **{kind: [{"IndexName": "gsi", "KeySchema": key, "Projection": {"ProjectionType": "ALL"}}]})
            self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
            return e.exception.response["Error"]["Message"]

        def k(*elements):
            return [{"AttributeName": n, "KeyType": t} for n, t in elements]
        every = {"pk", "sk", "a", "b", "c", "d", "e"}
        self.assertIn("more than 4 HASH", refused(k(*[(n, "HASH") for n in "abcde"]), every))
        self.assertIn("more than 4 RANGE", refused(k(("pk", "HASH"), *[(n, "RANGE") for n in "abcde"]), every))
        self.assertIn("HASH key element cannot follow a RANGE", refused(k(("a", "HASH"), ("b", "RANGE"), ("c", "HASH")), every))
        self.assertIn("Duplicate key attribute b", refused(k(("a", "HASH"), ("b", "RANGE"), ("b", "RANGE")), every))
        self.assertIn("Keys: [c]", refused(k(("a", "HASH"), ("b", "RANGE"), ("c", "RANGE")), {"pk", "sk", "a", "b"}))
        self.assertIn("Member must have length less than or equal to 2",
                      refused(k(("pk", "HASH"), ("a", "RANGE"), ("b", "RANGE")), every, lsi=True))


if __name__ == "__main__":
    unittest.main()
