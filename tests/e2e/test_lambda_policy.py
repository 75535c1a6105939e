"""A function's resource-based policy through boto3 and aws-cli: AddPermission answers the
statement AWS builds (Principal as Service / AWS root ARN / "*", Condition from SourceArn and
SourceAccount), GetPolicy returns the policy document and its RevisionId, per qualifier,
RemovePermission drops one statement, and the errors are AWS's (duplicate statement id,
unknown statement, no policy, stale RevisionId, malformed Action)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from lambda_util import aws, client_error as err, LambdaServiceCase, make_zip, ROLE  # noqa: E402

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
API_ARN = "arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/items"


class LambdaPolicy(LambdaServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lam.create_function(FunctionName="guarded", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                                Code={"ZipFile": make_zip({"index.js": "exports.handler = async () => 1;"})}, Publish=True)

    def policy(self, **kw):
        got = self.lam.get_policy(FunctionName="guarded", **kw)
        return json.loads(got["Policy"]), got["RevisionId"]

    def test_add_get_remove(self):
        added = self.lam.add_permission(FunctionName="guarded", StatementId="apigw", Action="lambda:InvokeFunction",
                                        Principal="apigateway.amazonaws.com", SourceArn=API_ARN,
                                        SourceAccount="000000000000")
        self.assertEqual(added["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(json.loads(added["Statement"]), {
            "Sid": "apigw", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
            "Action": "lambda:InvokeFunction", "Resource": ARN + "guarded",
            "Condition": {"ArnLike": {"AWS:SourceArn": API_ARN}, "StringEquals": {"AWS:SourceAccount": "000000000000"}}})
        # aws-cli: an account id becomes its root ARN.
        _, out, _ = aws(self.proc, "add-permission", "--function-name", "guarded", "--statement-id", "acct",
                        "--action", "lambda:GetFunction", "--principal", "123456789012")
        self.assertEqual(json.loads(out["Statement"])["Principal"], {"AWS": "arn:aws:iam::123456789012:root"})
        doc, revision = self.policy()
        self.assertEqual((doc["Version"], doc["Id"]), ("2012-10-17", "default"))
        self.assertEqual([s["Sid"] for s in doc["Statement"]], ["apigw", "acct"])

        code, status, message = err(lambda: self.lam.add_permission(
            FunctionName="guarded", StatementId="apigw", Action="lambda:InvokeFunction", Principal="*"))
        self.assertEqual((code, status), ("ResourceConflictException", 409))
        self.assertIn("(apigw)", message)
        code, status, _ = err(lambda: self.lam.add_permission(
            FunctionName="guarded", StatementId="late", Action="lambda:InvokeFunction", Principal="*",
            RevisionId="00000000-0000-0000-0000-000000000000"))
        self.assertEqual((code, status), ("PreconditionFailedException", 412))
        code, status, message = err(lambda: self.lam.add_permission(
            FunctionName="guarded", StatementId="bad", Action="s3:GetObject", Principal="*"))
        self.assertEqual((code, status), ("ValidationException", 400))
        self.assertIn("action", message)

        self.lam.remove_permission(FunctionName="guarded", StatementId="acct", RevisionId=revision)
        doc, _ = self.policy()
        self.assertEqual([s["Sid"] for s in doc["Statement"]], ["apigw"])
        code, status, message = err(lambda: self.lam.remove_permission(FunctionName="guarded", StatementId="acct"))
        self.assertEqual((code, status, message), ("ResourceNotFoundException", 404,
                                                   "Statement acct is not found in resource policy."))
        self.lam.remove_permission(FunctionName="guarded", StatementId="apigw")
        code, status, _ = err(lambda: self.lam.get_policy(FunctionName="guarded"))
        self.assertEqual((code, status), ("ResourceNotFoundException", 404))

    def test_policy_per_qualifier(self):
        self.lam.add_permission(FunctionName="guarded", Qualifier="1", StatementId="v1", Action="lambda:*", Principal="*")
        doc, _ = self.policy(Qualifier="1")
        self.assertEqual(doc["Statement"][0]["Resource"], ARN + "guarded:1")
        self.assertEqual(doc["Statement"][0]["Principal"], "*")
        code, _, _ = err(lambda: self.lam.get_policy(FunctionName="guarded", Qualifier="9"))
        self.assertEqual(code, "ResourceNotFoundException")
        code, _, _ = err(lambda: self.lam.add_permission(FunctionName="missing-fn", StatementId="x", Action="*", Principal="*"))
        self.assertEqual(code, "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
