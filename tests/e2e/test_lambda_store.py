"""Functions written for AWS reach the project's services through their SDKs with no code change
and nothing bundled: `cdnlab lambda` provides the AWS SDK for JavaScript v3 to nodejsNN.x functions
as AWS's Node.js 18+ runtimes do (lambda/runtimes/node/sdk, installed by scripts/setup.sh), for
`require` and ES module `import` alike, and gives every function AWS_ENDPOINT_URL_DYNAMODB
(--store-endpoint), AWS_ENDPOINT_URL_LAMBDA (the service itself), region and dummy credentials.
A Python function uses boto3 (Debian's /usr/bin/python3) the same way."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, SOURCE  # noqa: E402
from lambda_util import ROLE, client, make_zip, payload_of, tail_of  # noqa: E402
from test_clients import npm_ci  # noqa: E402

import boto3  # noqa: E402

RUNTIME_SDK = os.path.join(os.path.abspath(SOURCE), "lambda", "runtimes", "node", "sdk")

# CommonJS, the low-level client.
NODE_CJS_FN = """const { DynamoDBClient, PutItemCommand, GetItemCommand } = require("@aws-sdk/client-dynamodb");
const ddb = new DynamoDBClient({});
exports.handler = async (event) => {
  await ddb.send(new PutItemCommand({ TableName: "Visits", Item: { pk: { S: event.id }, by: { S: "node" } } }));
  const got = await ddb.send(new GetItemCommand({ TableName: "Visits", Key: { pk: { S: event.id } }, ConsistentRead: true }));
  return { item: got.Item, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB };
};
"""

# An ES module with the document client, as the Lambda console's templates write it, which also
# lists functions through the Lambda API (AWS_ENDPOINT_URL_LAMBDA).
NODE_ESM_FN = """import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const lambda = new LambdaClient({});
export const handler = async (event) => {
  await doc.send(new PutCommand({ TableName: "Visits", Item: { pk: event.id, by: "esm", n: 3 } }));
  const got = await doc.send(new GetCommand({ TableName: "Visits", Key: { pk: event.id }, ConsistentRead: true }));
  const fns = await lambda.send(new ListFunctionsCommand({}));
  return { item: got.Item, functions: fns.Functions.map((f) => f.FunctionName).sort(),
           apigw: typeof ApiGatewayManagementApiClient, region: process.env.AWS_REGION };
};
"""

# A function that bundles its own copy of a package wins over the runtime's, as on AWS.
NODE_OWN_FN = """const own = require("@aws-sdk/client-dynamodb");
exports.handler = async () => ({ own: own.marker, nodePath: process.env.NODE_PATH });
"""

PY_FN = """import boto3
ddb = boto3.client("dynamodb")
def handler(event, context):
    ddb.put_item(TableName="Visits", Item={"pk": {"S": event["id"]}, "by": {"S": "python"}})
    got = ddb.get_item(TableName="Visits", Key={"pk": {"S": event["id"]}}, ConsistentRead=True)
    seen = ddb.get_item(TableName="Visits", Key={"pk": {"S": "from-node"}}, ConsistentRead=True)
    names = sorted(f["FunctionName"] for f in boto3.client("lambda").list_functions()["Functions"])
    return {"item": got["Item"], "node_item": seen.get("Item"), "functions": names}
"""


class LambdaStore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        npm_ci(RUNTIME_SDK)
        cls.store = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        env = {k: v for k, v in os.environ.items() if k != "NODE_PATH" and not k.startswith("AWS_")}
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

    def invoke_ok(self, name, event):
        r = self.lam.invoke(FunctionName=name, Payload=json.dumps(event), LogType="Tail")
        out = payload_of(r)
        self.assertNotIn("FunctionError", r, (out, tail_of(r)))
        return out

    def test_node_then_python_share_the_store(self):
        self.lam.create_function(FunctionName="nodeddb", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                 Code={"ZipFile": make_zip({"index.js": NODE_CJS_FN})}, Timeout=20)
        out = self.invoke_ok("nodeddb", {"id": "from-node"})
        self.assertEqual(out["item"], {"pk": {"S": "from-node"}, "by": {"S": "node"}})
        self.assertEqual(out["endpoint"], self.store.url())

        self.lam.create_function(FunctionName="pyddb", Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                 Code={"ZipFile": make_zip({"app.py": PY_FN})}, Timeout=20)
        out = self.invoke_ok("pyddb", {"id": "from-python"})
        self.assertEqual(out["item"], {"pk": {"S": "from-python"}, "by": {"S": "python"}})
        self.assertEqual(out["node_item"]["by"], {"S": "node"})
        self.assertIn("pyddb", out["functions"])
        # And the store itself holds both.
        got = self.ddb.get_item(TableName="Visits", Key={"pk": {"S": "from-python"}}, ConsistentRead=True)
        self.assertEqual(got["Item"]["by"], {"S": "python"})

    def test_es_module_imports_the_runtime_sdk(self):
        self.lam.create_function(FunctionName="esmddb", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                 Code={"ZipFile": make_zip({"index.mjs": NODE_ESM_FN})}, Timeout=20)
        out = self.invoke_ok("esmddb", {"id": "from-esm"})
        self.assertEqual(out["item"], {"pk": "from-esm", "by": "esm", "n": 3})
        self.assertIn("esmddb", out["functions"])
        self.assertEqual(out["apigw"], "function")
        self.assertEqual(out["region"], "us-east-1")
        got = self.ddb.get_item(TableName="Visits", Key={"pk": {"S": "from-esm"}}, ConsistentRead=True)
        self.assertEqual(got["Item"]["n"], {"N": "3"})

    def test_bundled_package_wins_over_the_runtime_sdk(self):
        own = make_zip({"index.js": NODE_OWN_FN,
                        "node_modules/@aws-sdk/client-dynamodb/package.json": '{"name":"@aws-sdk/client-dynamodb","main":"i.js"}',
                        "node_modules/@aws-sdk/client-dynamodb/i.js": "exports.marker = 'bundled';"})
        self.lam.create_function(FunctionName="ownsdk", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                 Code={"ZipFile": own}, Timeout=20)
        out = self.invoke_ok("ownsdk", {})
        self.assertEqual(out["own"], "bundled")
        self.assertEqual(out["nodePath"].split(":")[0], os.path.join(RUNTIME_SDK, "node_modules"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
