// The REST API request path's pure decisions: which resource and method a path takes (literal
// segments before {param} before {proxy+}, a named method before ANY), which request template a
// content type selects under the passthrough behavior, and which integration response a backend
// status (or Lambda error message) selects by its selection pattern.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/rest/rest_store.h"

namespace cdnlab::gateway {

struct ResourceMatch {
  const CompiledResource* resource = nullptr;
  const CompiledRestMethod* method = nullptr;  // null with a resource: the path exists, the method does not
  std::vector<std::pair<std::string, std::string>> pathParameters;  // percent-decoded
};

ResourceMatch matchResource(const CompiledRestStage& stage, std::string_view method, std::string_view path);

struct TemplateChoice {
  enum class Kind { Render, Passthrough, Unsupported } kind = Kind::Passthrough;
  const vtl::Template* tpl = nullptr;
};

// contentType: the request's Content-Type (parameters ignored; absent: application/json).
TemplateChoice chooseRequestTemplate(const CompiledRestMethod& m, std::string_view contentType);

// The first patterned response whose pattern matches all of `selector`, else the default one;
// null when neither exists.
const CompiledIntegrationResponse* selectIntegrationResponse(const CompiledRestMethod& m, std::string_view selector);

// The response template for the method response: application/json first, else the first one.
std::pair<std::string, const vtl::Template*> chooseResponseTemplate(const CompiledIntegrationResponse& r);

}  // namespace cdnlab::gateway
