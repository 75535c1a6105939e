"""Functions written for AWS reach the project's DynamoDB-compatible store through their SDKs
with no code change: `cdnlab lambda --store-endpoint` sets AWS_ENDPOINT_URL_DYNAMODB (and region
and dummy credentials), a Node.js function uses the AWS SDK for JavaScript v3
(@aws-sdk/client-dynamodb from tests/clients/js, found through NODE_PATH) and a Python function
uses boto3 (Debian's /usr/bin/python3)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc  # noqa: E402
from lambda_util import ROLE, client, make_zip, payload_of, tail_of  # noqa: E402
from test_clients import JS, npm_ci  # noqa: E402

import boto3  # noqa: E402

NODE_FN = """const { DynamoDBClient, PutItemCommand, GetItemCommand } = require("@aws-sdk/client-dynamodb");
const ddb = new DynamoDBClient({});
exports.handler = async (event) => {
  await ddb.send(new PutItemCommand({ TableName: "Visits", Item: { pk: { S: event.id }, by: { S: "node" } } }));
  const got = await ddb.send(new GetItemCommand({ TableName: "Visits", Key: { pk: { S: event.id } }, ConsistentRead: true }));
  return { item: got.Item, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB };
};
"""

PY_FN = """import boto3
ddb = boto3.client("dynamodb")
def handler(event, context):
    ddb.put_item(TableName="Visits", Item={"pk": {"S": event["id"]}, "by": {"S": "python"}})
    got = ddb.get_item(TableName="Visits", Key={"pk": {"S": event["id"]}}, ConsistentRead=True)
    seen = ddb.get_item(TableName="Visits", Key={"pk": {"S": "from-node"}}, ConsistentRead=True)
    return {"item": got["Item"], "node_item": seen.get("Item")}
"""


class LambdaStore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        npm_ci()
        cls.store = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        env = dict(os.environ, NODE_PATH=os.path.join(JS, "node_modules"))
        cls.proc = Proc(["lambda", "--listen", "127.0.0.1:0", "--in-memory",
                         "--store-endpoint", cls.store.url(), "--python", "/usr/bin/python3"], env=env)
        cls.ddb = boto3.session.Session().client("dynamodb", endpoint_url=cls.store.url(), region_name="us-east-1",
                                                 aws_access_key_id="x", aws_secret_access_key="y")
        cls.ddb.create_table(TableName="Visits", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        cls.lam = client(cls.proc)

    @classmethod
    def tearDownClass(cls):
        cls.lam.close()
        cls.ddb.close()
        cls.proc.stop()
        cls.store.stop()

    def test_node_then_python_share_the_store(self):
        self.lam.create_function(FunctionName="nodeddb", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                 Code={"ZipFile": make_zip({"index.js": NODE_FN})}, Timeout=20)
        r = self.lam.invoke(FunctionName="nodeddb", Payload=json.dumps({"id": "from-node"}), LogType="Tail")
        out = payload_of(r)
        self.assertNotIn("FunctionError", r, (out, tail_of(r)))
        self.assertEqual(out["item"], {"pk": {"S": "from-node"}, "by": {"S": "node"}})
        self.assertEqual(out["endpoint"], self.store.url())

        self.lam.create_function(FunctionName="pyddb", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                 Code={"ZipFile": make_zip({"app.py": PY_FN})}, Timeout=20)
        r = self.lam.invoke(FunctionName="pyddb", Payload=json.dumps({"id": "from-python"}), LogType="Tail")
        out = payload_of(r)
        self.assertNotIn("FunctionError", r, (out, tail_of(r)))
        self.assertEqual(out["item"], {"pk": {"S": "from-python"}, "by": {"S": "python"}})
        self.assertEqual(out["node_item"]["by"], {"S": "node"})
        # And the store itself holds both.
        got = self.ddb.get_item(TableName="Visits", Key={"pk": {"S": "from-python"}}, ConsistentRead=True)
        self.assertEqual(got["Item"]["by"], {"S": "python"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
