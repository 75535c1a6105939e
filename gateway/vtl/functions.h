// The pure helpers behind $util and $input.path/json: Java's escaping and URL coding as API
// Gateway's templates see them, and the JSONPath subset templates use.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/vtl/value.h"

namespace cdnlab::gateway::vtl {

// $util.escapeJavaScript: Apache Commons' escapeJavaScript (what API Gateway uses): \" \' \\ \/,
// \b \f \n \r \t, other control characters and every non-ASCII UTF-16 unit as \uXXXX.
std::string escapeJavaScript(std::string_view s);
// $util.urlEncode / urlDecode: java.net.URLEncoder / URLDecoder with UTF-8 (space as '+').
std::string urlEncode(std::string_view s);
Result<std::string> urlDecode(std::string_view s);

// JSONPath over a value: $, .name, ['name'], [n] (negative from the end), [*] and .*
// (which give a list of every match). A path that leads nowhere gives null.
Result<Value> jsonPath(const Value& root, std::string_view path);

}  // namespace cdnlab::gateway::vtl
