// The two ARN forms the tagging operations check (TagResource, UntagResource,
// ListTagsOfResource), in the order DynamoDB checks them: any ARN at all, then a table's ARN.
// Written as single left-to-right scans rather than regular expressions: a backtracking regex
// engine takes time polynomial of high degree in the ARN's length for `.+:.+:...` patterns, and
// the ARN is the client's.
#pragma once

#include <string_view>

namespace cdnlab::store {

// Six non-empty parts joined by ':', the last with a '/' inside it ("p:p:p:p:p:p/p"); no part may
// hold a line break. (The regular expression ^.+:.+:.+:.+:.+:.+/.+$.)
bool looksLikeArn(std::string_view arn);

// "arn:aws:dynamodb:<region>:<account digits>:table/<name of 3 or more characters, no '/'>".
// (The regular expression ^arn:aws:dynamodb:.+:\d+:table/[^/]{2}[^/]+$.)
bool looksLikeTableArn(std::string_view arn);

}  // namespace cdnlab::store
