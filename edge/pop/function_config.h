// Which edge function runs at which trigger, per PoP and path pattern: the settings behind
// `--edge-function viewer-request=builtin:security-headers@/img/*`. Pure parsing, no runtime.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "lambda/edge/event.h"

namespace cdnlab::edge::pop {

struct EdgeFunctionRef {
  enum class Kind {
    Native,  // "builtin:NAME" / "native:NAME": the native registry (built-ins and --native-plugin)
    Lambda,  // "lambda:NAME" (or an ARN, with an optional :QUALIFIER): the Lambda service's Invoke API
  };
  Kind kind = Kind::Native;
  std::string name;  // registry name, or function name / ARN (with qualifier) for Invoke
  std::string spec;  // as written, for logs and errors
};

struct EdgeFunctionAssociation {
  lambda::edge::Trigger trigger = lambda::edge::Trigger::ViewerRequest;
  std::string pathPattern = "*";  // CloudFront path pattern: '*' any run of characters, '?' one
  EdgeFunctionRef function;
  // Where it was written when it came from a file ("fns.yaml: edge_functions[2].function"), so
  // an error found later (an unknown native name at start-up or at a reload) names the place.
  std::string source;
};

// "TRIGGER=KIND:NAME[@PATTERN]", e.g. "origin-response=builtin:security-headers@/static/*".
// Errors name the part that is wrong.
Result<EdgeFunctionAssociation> parseEdgeFunctionFlag(std::string_view text);

// CloudFront's path-pattern match ('*' and '?'; case-sensitive), against the path without query.
bool pathPatternMatches(std::string_view pattern, std::string_view path);

}  // namespace cdnlab::edge::pop
