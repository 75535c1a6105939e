// Table ARNs: the two forms the tagging operations check (TagResource, UntagResource,
// ListTagsOfResource), in the order DynamoDB checks them (any ARN at all, then a table's ARN), and
// the one parse of a table's ARN into its region, account and name that every operation taking a
// TableName or a ResourceArn resolves through (Service::tableNameOf).
// Written as single left-to-right scans rather than regular expressions: a backtracking regex
// engine takes time polynomial of high degree in the ARN's length for `.+:.+:...` patterns, and
// the ARN is the client's.
#pragma once

#include <optional>
#include <string_view>

namespace cdnlab::store {

// Six non-empty parts joined by ':', the last with a '/' inside it ("p:p:p:p:p:p/p"); no part may
// hold a line break. (The regular expression ^.+:.+:.+:.+:.+:.+/.+$.)
bool looksLikeArn(std::string_view arn);

// "arn:aws:dynamodb:<region>:<account digits>:table/<name of 3 or more characters, no '/'>".
// (The regular expression ^arn:aws:dynamodb:.+:\d+:table/[^/]{2}[^/]+$.)
bool looksLikeTableArn(std::string_view arn);

struct TableArn {
  std::string_view region;
  std::string_view account;
  std::string_view name;
};

// "arn:aws:dynamodb:<region>:<account>:table/<name>", region and account without ':', a non-empty
// name without '/' (so an index's or a stream's ARN is none); views into `arn`.
std::optional<TableArn> parseTableArn(std::string_view arn);

}  // namespace cdnlab::store
