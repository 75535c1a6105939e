"""`cdnlab store`'s control plane as boto3 and aws-cli read it: the TableDescription members of
CreateTable / DescribeTable / UpdateTable / DeleteTable (status, throughput history, billing mode
and table class summaries, deletion protection, indexes, counters) and ListTables paging."""
import datetime
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, dynamodb_call  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

CREDS = dict(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")


class StoreTables(unittest.TestCase):
    def setUp(self):
        self.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        self.url = self.proc.url()
        self.ddb = boto3.client("dynamodb", endpoint_url=self.url, config=Config(retries={"max_attempts": 1}), **CREDS)

    def tearDown(self):
        self.ddb.close()
        self.proc.stop()

    def aws(self, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s", AWS_DEFAULT_REGION="us-east-1")
        out = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.url, "--output", "json", *args],
                             capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def raw(self, op, body):
        status, data = dynamodb_call(self.proc.addr["http"], op, body)
        self.assertEqual(status, 200, data)
        return data

    def test_table_description_members_through_a_table_life(self):
        created = self.ddb.create_table(
            TableName="Orders", TableClass="STANDARD_INFREQUENT_ACCESS",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sku", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            GlobalSecondaryIndexes=[{"IndexName": "bySku", "KeySchema": [{"AttributeName": "sku", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"},
                                     "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}])
        t = created["TableDescription"]
        self.assertEqual(t["TableStatus"], "CREATING")
        self.assertEqual(t["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")
        self.assertNotIn("LastUpdateDateTime", t["TableClassSummary"])  # dates a later change of class only
        self.ddb.put_item(TableName="Orders", Item={"pk": {"S": "o1"}, "sku": {"S": "s1"}})

        t = self.ddb.describe_table(TableName="Orders")["Table"]
        self.assertEqual(t["TableStatus"], "ACTIVE")
        self.assertEqual(t["ItemCount"], 1)
        self.assertGreater(t["TableSizeBytes"], 0)
        self.assertEqual(t["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/Orders")
        self.assertEqual(len(t["TableId"]), 36)
        self.assertEqual(t["ProvisionedThroughput"]["NumberOfDecreasesToday"], 0)
        g = t["GlobalSecondaryIndexes"][0]
        self.assertEqual((g["IndexStatus"], g["ItemCount"], g["Projection"]["ProjectionType"]), ("ACTIVE", 1, "ALL"))
        self.assertEqual(g["IndexArn"], t["TableArn"] + "/index/bySku")

        up = self.ddb.update_table(TableName="Orders", ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 9})
        self.assertEqual(up["TableDescription"]["TableStatus"], "UPDATING")
        pt = self.ddb.describe_table(TableName="Orders")["Table"]["ProvisionedThroughput"]
        self.assertEqual((pt["ReadCapacityUnits"], pt["WriteCapacityUnits"], pt["NumberOfDecreasesToday"]), (2, 9, 1))
        self.assertIsInstance(pt["LastIncreaseDateTime"], datetime.datetime)
        self.assertIsInstance(pt["LastDecreaseDateTime"], datetime.datetime)

        # Debian's boto3 and aws-cli predate DeletionProtectionEnabled: it goes as the JSON protocol's raw body.
        protected = self.raw("UpdateTable", {"TableName": "Orders", "DeletionProtectionEnabled": True})
        self.assertTrue(protected["TableDescription"]["DeletionProtectionEnabled"])
        self.assertEqual(protected["TableDescription"]["TableStatus"], "ACTIVE")  # nothing else changed
        with self.assertRaises(self.ddb.exceptions.ClientError) as refused:
            self.ddb.delete_table(TableName="Orders")
        self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")
        self.assertIn("protected against deletion", refused.exception.response["Error"]["Message"])

        # aws-cli reads the same description; switching to on demand dates the billing summary.
        self.assertFalse(self.raw("UpdateTable", {"TableName": "Orders", "DeletionProtectionEnabled": False})
                         ["TableDescription"]["DeletionProtectionEnabled"])
        out = self.aws("dynamodb", "update-table", "--table-name", "Orders", "--billing-mode", "PAY_PER_REQUEST")
        self.assertEqual(out["TableDescription"]["TableStatus"], "UPDATING")
        self.assertEqual(out["TableDescription"]["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertIn("LastUpdateToPayPerRequestDateTime", out["TableDescription"]["BillingModeSummary"])
        gone = self.ddb.delete_table(TableName="Orders")["TableDescription"]
        self.assertEqual((gone["TableName"], gone["TableStatus"]), ("Orders", "DELETING"))

    def test_list_tables_pages(self):
        for name in ("tab1", "tab2", "tab3"):
            self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        first = self.ddb.list_tables(Limit=2)
        self.assertEqual((first["TableNames"], first["LastEvaluatedTableName"]), (["tab1", "tab2"], "tab2"))
        rest = self.ddb.list_tables(Limit=2, ExclusiveStartTableName="tab2")
        self.assertEqual(rest["TableNames"], ["tab3"])
        self.assertNotIn("LastEvaluatedTableName", rest)
        # aws-cli follows the pages itself.
        self.assertEqual(self.aws("dynamodb", "list-tables", "--page-size", "1")["TableNames"], ["tab1", "tab2", "tab3"])


if __name__ == "__main__":
    unittest.main()
