"""SigV4 on `cdnlab store --auth` with real clients: boto3 (Debian's python3-boto3) and aws-cli
sign requests; the right keys work, a wrong secret, an unknown key and an unsigned request get
DynamoDB's errors (HTTP 400, no retries), and the server keeps serving afterwards. Without
--auth any credentials are accepted."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

ACCESS_KEY = "AKIDTEST"
SECRET_KEY = "secret123"
AWS_CLI = "/usr/bin/aws"
# No retries: an auth error must come back at once, and a retried 400 would hide a 5xx bug.
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=10)


_clients = []


def client(proc, key=ACCESS_KEY, secret=SECRET_KEY):
    c = boto3.session.Session().client(
        "dynamodb", endpoint_url=proc.url(), region_name="us-east-1",
        aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY)
    _clients.append(c)
    return c


def close_clients():
    # Pooled keep-alive sockets would otherwise outlive the server (ResourceWarning noise).
    while _clients:
        _clients.pop().close()


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"], \
            e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("expected a ClientError")


def create_and_put(ddb, table):
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    return ddb.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)


class StoreAuth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory", "--auth",
                         "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])

    @classmethod
    def tearDownClass(cls):
        close_clients()
        cls.proc.stop()

    def tearDown(self):
        close_clients()

    def test_right_keys_create_put_get(self):
        got = create_and_put(client(self.proc), "AuthOk")
        self.assertEqual(got["Item"], {"pk": {"S": "a"}, "v": {"N": "1"}})

    def test_wrong_secret_is_invalid_signature(self):
        code, msg, status = error_of(lambda: client(self.proc, secret="wrong").list_tables())
        self.assertEqual((code, status), ("InvalidSignatureException", 400))
        self.assertTrue(msg.startswith("The request signature we calculated does not match"), msg)
        # Still serving the right keys.
        self.assertIn("TableNames", client(self.proc).list_tables())

    def test_unknown_key_is_unrecognized_client(self):
        code, msg, status = error_of(lambda: client(self.proc, key="AKIDNOBODY").list_tables())
        self.assertEqual((code, status), ("UnrecognizedClientException", 400))
        self.assertEqual(msg, "The security token included in the request is invalid.")
        self.assertIn("TableNames", client(self.proc).list_tables())

    def test_unsigned_post_is_missing_token(self):
        host, port = self.proc.addr["http"]
        conn = http.client.HTTPConnection(host, port, timeout=10)
        try:
            conn.request("POST", "/", body="{}", headers={
                "X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"})
            r = conn.getresponse()
            body = json.loads(r.read())
        finally:
            conn.close()
        self.assertEqual(r.status, 400)
        self.assertEqual(body, {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                                "message": "Request is missing Authentication Token"})
        self.assertIn("TableNames", client(self.proc).list_tables())

    def test_aws_cli_with_right_keys(self):
        if not os.path.exists(AWS_CLI):
            self.skipTest("Debian's awscli is not installed")
        home = tempfile.mkdtemp(prefix="cdnlab-auth-aws-")
        try:
            env = dict(os.environ, HOME=home, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
                       AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1", AWS_PAGER="")
            env.pop("AWS_SESSION_TOKEN", None)
            env.pop("AWS_PROFILE", None)
            r = subprocess.run([AWS_CLI, "dynamodb", "list-tables", "--endpoint-url", self.proc.url(),
                                "--output", "json"], capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("TableNames", json.loads(r.stdout))
            env["AWS_SECRET_ACCESS_KEY"] = "wrong"
            r = subprocess.run([AWS_CLI, "dynamodb", "list-tables", "--endpoint-url", self.proc.url()],
                               capture_output=True, text=True, env=env, timeout=60)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("InvalidSignatureException", r.stderr)
        finally:
            shutil.rmtree(home, ignore_errors=True)


class StoreWithoutAuth(unittest.TestCase):
    def test_any_credentials_work(self):
        with Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"]) as proc:
            got = create_and_put(client(proc, key="ANYKEY", secret="anything"), "NoAuth")
            self.assertEqual(got["Item"]["v"], {"N": "1"})
            close_clients()


if __name__ == "__main__":
    unittest.main(verbosity=2)
