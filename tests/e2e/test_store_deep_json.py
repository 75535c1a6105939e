"""End-to-end: request bodies nested far too deep for a recursive parser (200,000 levels, the
attack that used to kill `cdnlab store` with SIGSEGV) get a 400 on every operation: DynamoDB's
nesting ValidationException when the body is a well-formed object (only an attribute value can
nest that deep), a SerializationException when it is not an object or not well-formed; an
attribute value nested one level beyond DynamoDB's limit gets the same ValidationException, one
within the limit is stored, and the store keeps answering throughout."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, dynamodb_call  # noqa: E402

DEEP = 200000
TOO_DEEP = ("Nesting Levels have exceeded supported limits: "
            "Attributes in the item have nested levels beyond supported limit")


def call(proc, op, body):
    return dynamodb_call(proc.addr["http"], op, body)


def wrapped(levels, open_, close):
    return open_ * levels + '{"S":"x"}' + close * levels


class DeepJson(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        status, _ = call(cls.proc, "CreateTable", {
            "TableName": "Tbl", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        assert status == 200

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()

    def assert_alive(self):
        self.assertIsNone(self.proc.p.poll(), "the store died")
        status, body = call(self.proc, "DescribeTable", {"TableName": "Tbl"})
        self.assertEqual(status, 200, body)

    def test_deep_bodies_are_refused_on_every_operation(self):
        bodies = {  # name: (body, the error DynamoDB names)
            "lists": (("[" * DEEP + "]" * DEEP).encode(), "SerializationException"),
            "maps in an item": (('{"TableName":"Tbl","Item":{"pk":{"S":"a"},"v":' +
                                 wrapped(DEEP, '{"M":{"a":', "}}") + "}}").encode(), "ValidationException"),
            "maps in a key": (('{"TableName":"Tbl","Key":{"pk":' + wrapped(DEEP, '{"L":[', "]}") +
                               "}}").encode(), "ValidationException"),
            "unclosed": (("{" + '"a":[' * DEEP).encode(), "SerializationException"),
        }
        for op in ("PutItem", "GetItem", "Query", "TransactWriteItems", "ListTables", "NoSuchOperation"):
            for name, (body, error) in bodies.items():
                with self.subTest(op=op, body=name):
                    status, reply = call(self.proc, op, body)
                    self.assertEqual(status, 400, reply)
                    expected = "UnknownOperationException" if op == "NoSuchOperation" else error
                    self.assertTrue(reply.get("__type", "").endswith(expected), reply)
                    if expected == "ValidationException":
                        self.assertEqual(reply.get("message"), TOO_DEEP)
        self.assert_alive()

    def test_attribute_nesting_limit_is_dynamodbs(self):
        for kind, open_, close in (("map", '{"M":{"a":', "}}"), ("list", '{"L":[', "]}")):
            with self.subTest(kind=kind):
                ok = '{"TableName":"Tbl","Item":{"pk":{"S":"%s"},"v":%s}}' % (kind, wrapped(31, open_, close))
                status, reply = call(self.proc, "PutItem", ok.encode())
                self.assertEqual(status, 200, reply)
                bad = '{"TableName":"Tbl","Item":{"pk":{"S":"x"},"v":%s}}' % wrapped(32, open_, close)
                status, reply = call(self.proc, "PutItem", bad.encode())
                self.assertEqual(status, 400, reply)
                self.assertTrue(reply["__type"].endswith("ValidationException"), reply)
                self.assertEqual(reply.get("message", reply.get("Message")), TOO_DEEP)
        self.assert_alive()

    def test_deep_expression_is_a_validation_error(self):
        expr = "(" * 3000 + "attribute_exists(pk)" + ")" * 3000
        status, reply = call(self.proc, "DeleteItem", {"TableName": "Tbl", "Key": {"pk": {"S": "a"}},
                                                       "ConditionExpression": expr})
        self.assertEqual(status, 400, reply)
        self.assertTrue(reply["__type"].endswith("ValidationException"), reply)
        self.assert_alive()


if __name__ == "__main__":
    unittest.main(verbosity=2)
