"""End-to-end: PartiQL on `cdnlab store` as boto3 and aws-cli use it (DynamoDB Developer Guide,
"PartiQL - a SQL-compatible query language for Amazon DynamoDB"; API reference of
ExecuteStatement, BatchExecuteStatement, ExecuteTransaction): INSERT is not an upsert, `?`
parameters, a SELECT that pins the key is a read of that item and one that does not pages with
NextToken, UPDATE and DELETE with their conditions and RETURNING, a batch's per-statement errors,
a transaction's cancellation reasons, and aws-cli `dynamodb execute-statement`."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

CREDS = dict(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")


class StorePartiql(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        cls.url = cls.proc.url()
        cls.ddb = boto3.client("dynamodb", endpoint_url=cls.url, config=Config(retries={"max_attempts": 1}), **CREDS)
        cls.ddb.create_table(
            TableName="Music", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"},
                                  {"AttributeName": "SongTitle", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"},
                       {"AttributeName": "SongTitle", "KeyType": "RANGE"}])

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()

    def run_(self, statement, params=None, **kw):
        if params is not None:
            kw["Parameters"] = params
        return self.ddb.execute_statement(Statement=statement, **kw)

    def error(self, fn):
        with self.assertRaises(ClientError) as c:
            fn()
        return c.exception.response["Error"]

    def test_insert_select_update_delete(self):
        self.run_("INSERT INTO \"Music\" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks', "
                  "'Awards': 1, 'Tags': <<'rock', 'sql'>>, 'Info': {'Year': 2020, 'Charts': ['A', 'B']}}")
        got = self.run_("SELECT * FROM Music WHERE Artist = ? AND SongTitle = ?",
                        [{"S": "Acme Band"}, {"S": "PartiQL Rocks"}])["Items"]
        self.assertEqual(got[0]["Tags"], {"SS": ["rock", "sql"]})
        self.assertEqual(got[0]["Info"]["M"]["Charts"], {"L": [{"S": "A"}, {"S": "B"}]})
        nested = self.run_("SELECT Info.\"Year\", Awards FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks'")
        self.assertEqual(nested["Items"], [{"Year": {"N": "2020"}, "Awards": {"N": "1"}}])

        e = self.error(lambda: self.run_(
            "INSERT INTO Music VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks'}"))
        self.assertEqual(e["Code"], "DuplicateItemException")

        new = self.run_("UPDATE Music SET Awards = Awards + 1 SET Tags = set_add(Tags, <<'live'>>) REMOVE Info "
                        "WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' RETURNING ALL NEW *")["Items"][0]
        self.assertEqual(new["Awards"], {"N": "2"})
        self.assertNotIn("Info", new)
        e = self.error(lambda: self.run_("UPDATE Music SET Awards = 0 WHERE Artist = 'Nobody' AND SongTitle = 'x'"))
        self.assertEqual(e["Code"], "ConditionalCheckFailedException")
        e = self.error(lambda: self.run_("UPDATE Music SET Awards = 0 WHERE Artist = 'Acme Band'"))
        self.assertEqual(e["Code"], "ValidationException")

        old = self.run_("DELETE FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks' "
                        "RETURNING ALL OLD *")["Items"]
        self.assertEqual(old[0]["Awards"], {"N": "2"})
        self.assertEqual(self.run_("SELECT * FROM Music WHERE Artist = 'Acme Band' AND SongTitle = 'PartiQL Rocks'")["Items"], [])

    def test_scan_pages_with_next_token(self):
        for i in range(9):
            self.run_("INSERT INTO Music VALUE {'Artist': ?, 'SongTitle': ?, 'Plays': ?}",
                      [{"S": "pager%d" % (i % 2)}, {"S": "s%d" % i}, {"N": str(i)}])
        seen, token, pages = [], None, 0
        while True:
            kw = {"Limit": 4}
            if token:
                kw["NextToken"] = token
            r = self.run_("SELECT SongTitle FROM Music WHERE begins_with(Artist, 'pager') AND Plays >= 2", **kw)
            seen += [it["SongTitle"]["S"] for it in r["Items"]]
            token = r.get("NextToken")
            pages += 1
            if not token:
                break
            self.assertLess(pages, 10)
        self.assertEqual(sorted(seen), ["s%d" % i for i in range(2, 9)])
        q = self.run_("SELECT SongTitle FROM Music WHERE Artist = 'pager1' ORDER BY SongTitle DESC")["Items"]
        self.assertEqual([it["SongTitle"]["S"] for it in q], ["s7", "s5", "s3", "s1"])

    def test_errors_as_dynamodb_words_them(self):
        e = self.error(lambda: self.run_("SELECT * FROM Music WHERE Artist = 'a"))
        self.assertEqual(e["Code"], "ValidationException")
        self.assertTrue(e["Message"].startswith("Statement wasn't well formed, can't be processed"), e)
        e = self.error(lambda: self.run_("SELECT * FROM NoSuchTable WHERE Artist = 'a'"))
        self.assertEqual(e["Code"], "ResourceNotFoundException")
        e = self.error(lambda: self.run_("SELECT * FROM Music WHERE Plays < ?", [{"BOOL": True}]))
        self.assertEqual(e["Message"], "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL")

    def test_batch_and_transaction(self):
        self.run_("INSERT INTO Music VALUE {'Artist': 'b', 'SongTitle': '1', 'n': 1}")
        r = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "SELECT * FROM Music WHERE Artist = 'b' AND SongTitle = '1'"},
            {"Statement": "SELECT * FROM Missing WHERE Artist = 'b' AND SongTitle = '1'"}])["Responses"]
        self.assertEqual(r[0]["Item"]["n"], {"N": "1"})
        self.assertEqual(r[1]["Error"]["Code"], "ResourceNotFound")
        with self.assertRaises(ClientError):
            self.ddb.batch_execute_statement(Statements=[
                {"Statement": "SELECT * FROM Music WHERE Artist = 'b' AND SongTitle = '1'"}] * 26)

        with self.assertRaises(ClientError) as c:
            self.ddb.execute_transaction(TransactStatements=[
                {"Statement": "INSERT INTO Music VALUE {'Artist': 'b', 'SongTitle': '2'}"},
                {"Statement": "INSERT INTO Music VALUE {'Artist': 'b', 'SongTitle': '1'}"}])
        self.assertEqual(c.exception.response["Error"]["Code"], "TransactionCanceledException")
        reasons = [x["Code"] for x in c.exception.response["CancellationReasons"]]
        self.assertEqual(reasons, ["None", "DuplicateItem"])
        self.assertEqual(self.run_("SELECT * FROM Music WHERE Artist = 'b' AND SongTitle = '2'")["Items"], [])
        self.ddb.execute_transaction(ClientRequestToken="once", TransactStatements=[
            {"Statement": "UPDATE Music SET n = n + 1 WHERE Artist = 'b' AND SongTitle = '1'"}])
        self.ddb.execute_transaction(ClientRequestToken="once", TransactStatements=[
            {"Statement": "UPDATE Music SET n = n + 1 WHERE Artist = 'b' AND SongTitle = '1'"}])  # replayed
        got = self.ddb.execute_transaction(TransactStatements=[
            {"Statement": "SELECT n FROM Music WHERE Artist = 'b' AND SongTitle = '1'"}])["Responses"]
        self.assertEqual(got, [{"Item": {"n": {"N": "2"}}}])

    def test_aws_cli_execute_statement(self):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s", AWS_DEFAULT_REGION="us-east-1")

        def aws(*args):
            out = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.url, "--output", "json", "dynamodb", *args],
                                 capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual(out.returncode, 0, out.stderr)
            return json.loads(out.stdout)

        aws("execute-statement", "--statement", "INSERT INTO Music VALUE {'Artist': 'cli', 'SongTitle': 't'}")
        got = aws("execute-statement", "--statement", "SELECT * FROM Music WHERE Artist = ? AND SongTitle = ?",
                  "--parameters", '[{"S": "cli"}, {"S": "t"}]')
        self.assertEqual(got["Items"], [{"Artist": {"S": "cli"}, "SongTitle": {"S": "t"}}])


if __name__ == "__main__":
    unittest.main()
