// Renders a parsed mapping template for one request or response: $input (the body and the
// method request's parameters), $util, $context and $stageVariables, under limits that hold
// whatever the template and the body are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/vtl/parser.h"
#include "gateway/vtl/value.h"

namespace cdnlab::gateway::vtl {

struct Limits {
  size_t maxOutput = 10u << 20;        // bytes written (API Gateway's payload limit)
  int64_t maxIterations = 100000;      // #foreach iterations in one render, all loops together
  int maxJsonDepth = 100;              // nesting of the body and of $util.parseJson's text
};

struct RenderInput {
  std::string_view body;  // $input.body; $input.json / $input.path read it as JSON ("" reads as {})
  Value params;           // map: "path", "querystring", "header", each a map of strings
  Value context;          // $context (a map); #set($context.responseOverride.status = ...) changes it
  Value stageVariables;   // $stageVariables (a map)
};

// The rendered text. Errors: code 400 when the body is not JSON but the template reads it as
// JSON (API Gateway's "Could not parse request body into json"), 500 for everything else (an
// unsupported method, a limit reached), the message naming the template and line:column.
Result<std::string> render(const Template& t, RenderInput& in, const Limits& limits = {});

}  // namespace cdnlab::gateway::vtl
