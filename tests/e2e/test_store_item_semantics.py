"""End-to-end: item-level answers of `cdnlab store` where DynamoDB's documented behaviour is subtle
(found by running ScyllaDB Alternator's DynamoDB suite against the store, docs/store.md
"Conformance"): legacy ComparisonOperator operand types, NOT_CONTAINS on a missing attribute,
ConditionalOperator without conditions, AttributeUpdates' Action enum, updates that only remove
on a missing item, UPDATED_NEW of an update with no actions, names that start with "_",
LastEvaluatedKey on a page that stopped at Limit, a transaction action whose key does not fit
the schema, a parallel Scan's ExclusiveStartKey outside its segment, BETWEEN on a list, list_append
as list_append's first operand, and attribute names longer than 65535 bytes."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Proc, dynamodb_call  # noqa: E402


def call(proc, op, body):
    return dynamodb_call(proc.addr["http"], op, body)


def cond(op, *values):
    return {"ComparisonOperator": op, "AttributeValueList": list(values)}


class ItemSemantics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = Proc(["store", "--listen", "127.0.0.1:0", "--in-memory"])
        for name, keys in (("Hash", [("p", "S", "HASH")]), ("HashRange", [("p", "S", "HASH"), ("c", "N", "RANGE")])):
            status, body = call(cls.proc, "CreateTable", {
                "TableName": name, "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t, _ in keys],
                "KeySchema": [{"AttributeName": n, "KeyType": k} for n, _, k in keys]})
            assert status == 200, body

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()

    def ok(self, op, body):
        status, reply = call(self.proc, op, body)
        self.assertEqual(status, 200, reply)
        return reply

    def fails(self, op, body, error, message=None):
        status, reply = call(self.proc, op, body)
        self.assertEqual(status, 400, reply)
        self.assertTrue(reply.get("__type", "").endswith("#" + error), reply)
        if message is not None:
            self.assertEqual(reply.get("message"), message)
        return reply

    def get(self, p):
        return self.ok("GetItem", {"TableName": "Hash", "Key": {"p": {"S": p}}, "ConsistentRead": True}).get("Item")

    def test_filter_eq_and_ne_take_every_type(self):
        # API reference, Condition: "EQ is supported for all data types, including lists and maps"
        # (NE the same); a QueryFilter on a list, a map or a boolean selects by equality.
        items = [{"p": {"S": "f"}, "c": {"N": str(i)}, "l": {"L": [{"N": str(i)}]}, "m": {"M": {"k": {"N": str(i)}}},
                  "b": {"BOOL": i == 1}} for i in range(3)]
        for it in items:
            self.ok("PutItem", {"TableName": "HashRange", "Item": it})
        key = {"p": cond("EQ", {"S": "f"})}
        for attr, value in (("l", {"L": [{"N": "1"}]}), ("m", {"M": {"k": {"N": "1"}}}), ("b", {"BOOL": True})):
            with self.subTest(attr=attr):
                eq = self.ok("Query", {"TableName": "HashRange", "KeyConditions": key, "QueryFilter": {attr: cond("EQ", value)}})
                self.assertEqual([i["c"]["N"] for i in eq["Items"]], ["1"])
                ne = self.ok("Query", {"TableName": "HashRange", "KeyConditions": key, "QueryFilter": {attr: cond("NE", value)}})
                self.assertEqual([i["c"]["N"] for i in ne["Items"]], ["0", "2"])

    def test_expected_operand_types_are_checked(self):
        # API reference, ExpectedAttributeValue: BEGINS_WITH takes a String or Binary; CONTAINS, IN
        # and BETWEEN a String, Number or Binary (not a set, a list or a map).
        self.ok("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "e"}, "s": {"S": "hello"}, "n": {"N": "3"}}})
        for name, expected, t in (
                ("BEGINS_WITH a number", {"s": cond("BEGINS_WITH", {"N": "3"})}, "N"),
                ("CONTAINS a list", {"s": cond("CONTAINS", {"L": [{"N": "1"}]})}, "L"),
                ("IN lists", {"n": cond("IN", {"L": [{"N": "1"}]}, {"L": [{"N": "2"}]})}, "L"),
                ("BETWEEN sets", {"n": cond("BETWEEN", {"NS": ["1"]}, {"NS": ["2"]})}, "NS")):
            with self.subTest(name):
                op = next(iter(expected.values()))["ComparisonOperator"]
                self.fails("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "e"}}, "Expected": expected},
                           "ValidationException", "One or more parameter values were invalid: ComparisonOperator " + op +
                           " is not valid for " + t + " AttributeValue type")
        self.assertEqual(self.get("e")["s"], {"S": "hello"})  # nothing was written

    def test_not_contains_is_false_on_a_missing_attribute(self):
        self.ok("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "nc"}, "s": {"S": "hello"}}})
        self.fails("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "nc"}},
                                  "AttributeUpdates": {"z": {"Action": "PUT", "Value": {"N": "1"}}},
                                  "Expected": {"missing": cond("NOT_CONTAINS", {"S": "x"})}},
                   "ConditionalCheckFailedException")
        self.ok("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "nc"}},
                               "AttributeUpdates": {"z": {"Action": "PUT", "Value": {"N": "1"}}},
                               "Expected": {"s": cond("NOT_CONTAINS", {"S": "x"})}})
        self.assertEqual(self.get("nc")["z"], {"N": "1"})

    def test_conditional_operator_needs_conditions(self):
        self.fails("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "co"}},
                                  "AttributeUpdates": {"z": {"Action": "PUT", "Value": {"N": "1"}}},
                                  "Expected": {}, "ConditionalOperator": "OR"},
                   "ValidationException", "ConditionalOperator can only be used when Filter or Expected has two or more elements")
        self.assertIsNone(self.get("co"))

    def test_attribute_updates_action_is_an_enum(self):
        self.fails("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "a"}},
                                  "AttributeUpdates": {"x": {"Action": "NONEXISTENT", "Value": {"S": "v"}}}},
                   "ValidationException", "1 validation error detected: Value 'NONEXISTENT' at "
                   "'attributeUpdates.x.member.action' failed to satisfy constraint: Member must satisfy enum value set: "
                   "[ADD, PUT, DELETE]")
        self.assertIsNone(self.get("a"))

    def test_removals_leave_a_missing_item_missing(self):
        # An update that only removes (AttributeUpdates DELETE, REMOVE of a top-level or nested path,
        # DELETE of set elements) does not create the item, and ALL_NEW returns nothing; an update
        # that sets something, or has no actions at all, creates it.
        for i, update in enumerate((
                {"AttributeUpdates": {"a": {"Action": "DELETE"}}},
                {"AttributeUpdates": {"a": {"Action": "DELETE", "Value": {"SS": ["x"]}}}},
                {"UpdateExpression": "REMOVE a"},
                {"UpdateExpression": "REMOVE x.y"},
                {"UpdateExpression": "REMOVE x[0]"},
                {"UpdateExpression": "DELETE s :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}})):
            with self.subTest(update=update):
                p = "rm%d" % i
                reply = self.ok("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": p}}, "ReturnValues": "ALL_NEW", **update})
                self.assertNotIn("Attributes", reply)
                self.assertIsNone(self.get(p))
        reply = self.ok("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "rm-empty"}}, "AttributeUpdates": {},
                                       "ReturnValues": "ALL_NEW"})
        self.assertEqual(reply["Attributes"], {"p": {"S": "rm-empty"}})
        self.assertEqual(self.get("rm-empty"), {"p": {"S": "rm-empty"}})

    def test_updated_new_of_an_update_without_actions_is_absent(self):
        self.ok("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "un"}, "a": {"S": "hi"}}})
        reply = self.ok("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "un"}}, "AttributeUpdates": {},
                                       "ReturnValues": "UPDATED_NEW"})
        self.assertNotIn("Attributes", reply)

    def test_a_name_cannot_start_with_an_underscore(self):
        # DynamoDB's tokens for names start with a letter: "_a" is a syntax error on "_".
        for expression in ("SET _a = :v", "SET a = _f(:v)"):
            with self.subTest(expression):
                reply = self.fails("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "u"}}, "UpdateExpression": expression,
                                                  "ExpressionAttributeValues": {":v": {"N": "1"}}}, "ValidationException")
                self.assertTrue(reply["message"].startswith('Invalid UpdateExpression: Syntax error; token: "_"'), reply)
        self.ok("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "u"}}, "UpdateExpression": "SET #_ = :v",
                               "ExpressionAttributeNames": {"#_": "_a"}, "ExpressionAttributeValues": {":v": {"N": "1"}}})
        self.assertEqual(self.get("u")["_a"], {"N": "1"})

    def test_a_page_stopped_at_limit_has_last_evaluated_key(self):
        for i in range(3):
            self.ok("PutItem", {"TableName": "HashRange", "Item": {"p": {"S": "lim"}, "c": {"N": str(i)}}})
        key = {"p": cond("EQ", {"S": "lim"})}
        page = self.ok("Query", {"TableName": "HashRange", "KeyConditions": key, "Limit": 3})
        self.assertEqual(len(page["Items"]), 3)
        self.assertEqual(page["LastEvaluatedKey"], {"p": {"S": "lim"}, "c": {"N": "2"}})
        last = self.ok("Query", {"TableName": "HashRange", "KeyConditions": key, "Limit": 3,
                                 "ExclusiveStartKey": page["LastEvaluatedKey"]})
        self.assertEqual(last["Items"], [])
        self.assertNotIn("LastEvaluatedKey", last)
        self.assertNotIn("LastEvaluatedKey", self.ok("Query", {"TableName": "HashRange", "KeyConditions": key, "Limit": 4}))


    def test_a_key_of_the_wrong_type_cancels_a_transaction(self):
        # The action's key does not fit the schema: TransactionCanceledException whose reason for
        # that action is ValidationError (the first such action only), None for the others.
        status, reply = call(self.proc, "TransactWriteItems", {"TransactItems": [
            {"Put": {"TableName": "Hash", "Item": {"p": {"N": "7"}}}},
            {"Put": {"TableName": "Hash", "Item": {"p": {"N": "8"}}}},
            {"Put": {"TableName": "Hash", "Item": {"p": {"S": "tx"}}, "ConditionExpression": "attribute_exists(p)"}}]})
        self.assertEqual(status, 400, reply)
        self.assertTrue(reply["__type"].endswith("#TransactionCanceledException"), reply)
        reasons = reply["CancellationReasons"]
        self.assertEqual([r["Code"] for r in reasons], ["ValidationError", "None", "None"])
        self.assertEqual(reasons[0]["Message"], "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N")
        self.assertNotIn("Message", reasons[1])
        self.assertIsNone(self.get("tx"))

    def test_a_parallel_scan_resumes_inside_its_segment(self):
        for i in range(8):
            self.ok("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "seg%d" % i}}})
        pages = [self.ok("Scan", {"TableName": "Hash", "Segment": s, "TotalSegments": 2, "Limit": 1}) for s in (0, 1)]
        keys = [p["LastEvaluatedKey"] for p in pages if "LastEvaluatedKey" in p]
        self.assertEqual(len(keys), 2, pages)
        for s, key in enumerate(keys):
            self.ok("Scan", {"TableName": "Hash", "Segment": s, "TotalSegments": 2, "ExclusiveStartKey": key})
            self.fails("Scan", {"TableName": "Hash", "Segment": 1 - s, "TotalSegments": 2, "ExclusiveStartKey": key},
                       "ValidationException",
                       "The provided Exclusive start key does not map to the provided Segment and TotalSegments values.")

    def test_between_takes_scalar_constants(self):
        self.ok("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "bt"}, "a": {"N": "1"}}})
        self.fails("UpdateItem", {"TableName": "Hash", "Key": {"p": {"S": "bt"}}, "UpdateExpression": "SET z = :z",
                                  "ConditionExpression": "a BETWEEN :lo AND :hi",
                                  "ExpressionAttributeValues": {":z": {"N": "1"}, ":lo": {"L": [{"N": "1"}]}, ":hi": {"L": [{"N": "2"}]}}},
                   "ValidationException", "Invalid ConditionExpression: Incorrect operand type for operator or function; "
                   "operator or function: BETWEEN, operand type: L")
        self.assertNotIn("z", self.get("bt"))

    def test_list_append_is_not_the_first_operand_of_list_append(self):
        base = {"TableName": "Hash", "Key": {"p": {"S": "la"}},
                "ExpressionAttributeValues": {":a": {"L": [{"N": "1"}]}, ":b": {"L": [{"N": "2"}]}}}
        self.fails("UpdateItem", {**base, "UpdateExpression": "SET l = list_append(list_append(:a, :b), :a)"},
                   "ValidationException", "Invalid UpdateExpression: The function is not allowed to be used this way in an "
                   "expression; function: list_append")
        self.assertIsNone(self.get("la"))
        self.ok("UpdateItem", {**base, "UpdateExpression": "SET l = list_append(if_not_exists(l, :a), :b)"})
        self.assertEqual(self.get("la")["l"], {"L": [{"N": "1"}, {"N": "2"}]})
        self.ok("UpdateItem", {**base, "UpdateExpression": "SET l = list_append(:a, list_append(l, :b))"})
        self.assertEqual(self.get("la")["l"], {"L": [{"N": "1"}, {"N": "1"}, {"N": "2"}, {"N": "2"}]})

    def test_attribute_names_are_at_most_65535_bytes(self):
        ok, long = "n" * 65535, "n" * 65536
        too_large = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"
        self.ok("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "an"}, ok: {"N": "1"}}})
        key = {"TableName": "Hash", "Key": {"p": {"S": "an"}}}
        for op, body in (
                ("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "an"}, long: {"N": "1"}}}),
                ("PutItem", {"TableName": "Hash", "Item": {"p": {"S": "an"}, "m": {"M": {long: {"N": "1"}}}}}),
                ("GetItem", {**key, "AttributesToGet": [long]}),
                ("GetItem", {**key, "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": long}}),
                ("UpdateItem", {**key, "AttributeUpdates": {long: {"Action": "PUT", "Value": {"N": "2"}}}}),
                ("UpdateItem", {**key, "UpdateExpression": "SET #n = :v", "ExpressionAttributeNames": {"#n": long},
                                "ExpressionAttributeValues": {":v": {"N": "2"}}})):
            with self.subTest(op=op, members=sorted(body)):
                self.fails(op, body, "ValidationException", too_large)
        self.assertEqual(self.get("an"), {"p": {"S": "an"}, ok: {"N": "1"}})

if __name__ == "__main__":
    unittest.main(verbosity=2)
