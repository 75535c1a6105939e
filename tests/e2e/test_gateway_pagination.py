"""Pagination of the apigatewayv2 Get* lists (MaxResults / NextToken): boto3 pages by hand and
with its paginator, aws-cli pages transparently (--page-size) and resumes (--max-items /
--starting-token), and a bad token or maxResults is a BadRequestException."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from gateway_e2e_base import PlainGatewayCase, aws  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402


class Pagination(PlainGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_ids = [cls.boto.create_api(Name=f"api{i}", ProtocolType="HTTP")["ApiId"] for i in range(7)]
        cls.route_keys = [f"GET /r{i}" for i in range(5)]
        for k in cls.route_keys:
            cls.boto.create_route(ApiId=cls.api_ids[0], RouteKey=k)

    def test_boto3_pages_by_hand_and_with_paginator(self):
        first = self.boto.get_apis(MaxResults="3")
        self.assertEqual(len(first["Items"]), 3)
        self.assertIn("NextToken", first)
        seen = [a["ApiId"] for a in first["Items"]]
        token = first["NextToken"]
        while token:
            page = self.boto.get_apis(MaxResults="3", NextToken=token)
            self.assertLessEqual(len(page["Items"]), 3)
            seen += [a["ApiId"] for a in page["Items"]]
            token = page.get("NextToken")
        self.assertEqual(sorted(seen), sorted(self.api_ids))
        pages = list(self.boto.get_paginator("get_routes").paginate(ApiId=self.api_ids[0],
                                                                    PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["Items"]) for p in pages], [2, 2, 1])
        self.assertEqual(sorted(r["RouteKey"] for p in pages for r in p["Items"]), sorted(self.route_keys))
        self.assertNotIn("NextToken", self.boto.get_apis())  # one page without MaxResults

    def test_aws_cli_paginates(self):
        out = json.loads(aws("apigatewayv2", "get-apis", "--page-size", "2", *self.ep).stdout)
        self.assertEqual(sorted(a["ApiId"] for a in out["Items"]), sorted(self.api_ids))
        part = json.loads(aws("apigatewayv2", "get-routes", "--api-id", self.api_ids[0], "--max-items", "3",
                              "--page-size", "2", *self.ep).stdout)
        self.assertEqual(len(part["Items"]), 3)
        rest = json.loads(aws("apigatewayv2", "get-routes", "--api-id", self.api_ids[0], "--starting-token",
                              part["NextToken"], "--page-size", "2", *self.ep).stdout)
        keys = [r["RouteKey"] for r in part["Items"] + rest["Items"]]
        self.assertEqual(sorted(keys), sorted(self.route_keys))

    def test_bad_token_and_max_results(self):
        for kw in ({"NextToken": "not-a-token"}, {"MaxResults": "0"}, {"MaxResults": "-1"}, {"MaxResults": "x"}):
            with self.assertRaises(ClientError) as e:
                self.boto.get_apis(**kw)
            self.assertEqual(e.exception.response["Error"]["Code"], "BadRequestException", kw)


if __name__ == "__main__":
    unittest.main()
