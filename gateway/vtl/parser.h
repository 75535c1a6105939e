// Parses a mapping template (the Velocity subset API Gateway's templates use) into its tree,
// once, when an API is deployed. Anything outside the subset is refused with the template's name
// and line:column, e.g. "application/json:3:5: #macro is not supported in mapping templates".
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "gateway/vtl/ast.h"

namespace cdnlab::gateway::vtl {

struct Template {
  std::string name;  // what errors call it (e.g. the content type it is mapped for)
  Block root;
};

// Nesting of blocks and expressions beyond this is refused (the renderer recurses on the tree).
inline constexpr int kMaxNesting = 64;

Result<std::shared_ptr<const Template>> parseTemplate(std::string_view name, std::string_view text);

}  // namespace cdnlab::gateway::vtl
