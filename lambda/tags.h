// Function tags: reading a Tags map from a request body with AWS's limits (CreateFunction and
// TagResource share it). The TagResource / ListTags / UntagResource operations are in
// tags_api.cc.
#pragma once

#include <map>
#include <string>

#include <rapidjson/document.h>

#include "lambda/api_result.h"

namespace cdnlab::lambda {

// body[field] as a string -> string map (absent or null: empty), checked by checkTags.
ApiResult<std::map<std::string, std::string>> tagsOf(const rapidjson::Value& body, const char* field);

}  // namespace cdnlab::lambda
