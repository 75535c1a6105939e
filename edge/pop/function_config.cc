// Parsing of `--edge-function` and CloudFront path patterns (function_config.h).
#include "edge/pop/function_config.h"

namespace cdnlab::edge::pop {

Result<EdgeFunctionAssociation> parseEdgeFunctionFlag(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error{2, "--edge-function " + std::string(text) + ": " + why +
                        " (expected TRIGGER=builtin:NAME|native:NAME|lambda:NAME[@/path/pattern*])"};
  };
  EdgeFunctionAssociation a;
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) return bad("missing '='");
  auto trigger = lambda::edge::parseTrigger(text.substr(0, eq));
  if (!trigger) return bad("unknown trigger '" + std::string(text.substr(0, eq)) + "'");
  a.trigger = *trigger;
  std::string_view rest = text.substr(eq + 1);
  size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    a.pathPattern = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (a.pathPattern.empty()) return bad("empty path pattern after '@'");
    if (a.pathPattern.size() > 255) return bad("path pattern longer than 255 characters");
  }
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return bad("missing the function kind");
  std::string_view kind = rest.substr(0, colon);
  a.function.name = std::string(rest.substr(colon + 1));
  a.function.spec = std::string(rest);
  if (kind == "builtin" || kind == "native") {
    a.function.kind = EdgeFunctionRef::Kind::Native;
  } else if (kind == "lambda") {
    a.function.kind = EdgeFunctionRef::Kind::Lambda;
  } else {
    return bad("unknown function kind '" + std::string(kind) + "'");
  }
  if (a.function.name.empty()) return bad("empty function name");
  for (char c : a.function.name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':' || c == '$';
    if (!ok) return bad("function name has a character outside [A-Za-z0-9-_.:$]");
  }
  return a;
}

bool pathPatternMatches(std::string_view pattern, std::string_view path) {
  // Iterative wildcard match with one backtrack point: linear in practice, no recursion, so a
  // hostile path cannot blow the stack.
  size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == path[s])) {
      ++p;
      ++s;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace cdnlab::edge::pop
