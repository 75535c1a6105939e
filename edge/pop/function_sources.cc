// Reading the PoP's edge-function associations from its flags and files (function_sources.h).
#include "edge/pop/function_sources.h"

#include "common/config/reader.h"
#include "edge/pop/behaviors.h"

namespace cdnlab::edge::pop {

namespace {

std::vector<EdgeFunctionAssociation> readEdgeFunctions(config::Object& root) {
  std::vector<EdgeFunctionAssociation> out;
  for (config::Object& fo : root.objectList("edge_functions")) {
    std::string trigger = fo.choice("trigger", {"viewer-request", "origin-request", "origin-response", "viewer-response"});
    std::string function = fo.string("function");
    std::string path = fo.string("path", "*");
    if (trigger.empty() || function.empty()) continue;  // reported by the reader
    if (path.find('@') != std::string::npos) {
      fo.fail("path", "a CloudFront path pattern has no '@' (got \"" + path + "\")");
      continue;
    }
    auto assoc = parseEdgeFunctionFlag(trigger + "=" + function + "@" + path);
    if (!assoc.ok()) {
      // The flag parser's reason, without its flag syntax: the field is named instead.
      std::string why = assoc.error().message;
      size_t colon = why.find(": ");
      size_t paren = why.rfind(" (expected");
      if (colon != std::string::npos) why = why.substr(colon + 2, paren == std::string::npos ? std::string::npos : paren - colon - 2);
      fo.fail(why.find("path pattern") != std::string::npos ? "path" : "function", why);
      continue;
    }
    out.push_back(std::move(assoc.value()));
  }
  return out;
}

}  // namespace

config::Parsed<std::vector<EdgeFunctionAssociation>> loadEdgeFunctionsFile(const std::string& path) {
  auto parsed = config::loadFile(path, readEdgeFunctions);
  // A file that reads cleanly has every entry, in order.
  if (parsed.ok())
    for (size_t i = 0; i < parsed.value().size(); ++i)
      parsed.value()[i].source = path + ": edge_functions[" + std::to_string(i) + "].function";
  return parsed;
}

config::Parsed<std::vector<EdgeFunctionAssociation>> loadEdgeFunctionsString(std::string_view text, std::string name) {
  return config::loadString(text, std::move(name), readEdgeFunctions);
}

Result<AssociationSources> associationSources(const PopConfig& config, bool reread) {
  AssociationSources s;
  s.popWide = config.edgeFunctions;
  std::vector<EdgeFunctionAssociation> fromFile = config.fileEdgeFunctions;
  if (reread && !config.edgeFunctionsFile.empty()) {
    auto file = loadEdgeFunctionsFile(config.edgeFunctionsFile);
    if (!file.ok()) return Error{2, config::formatErrors(file.errors())};
    fromFile = std::move(file.value());
  }
  s.popWide.insert(s.popWide.end(), fromFile.begin(), fromFile.end());
  for (const auto& b : config.behaviors) {
    s.byBehavior.push_back(b.functions);
    s.behaviorNames.push_back(b.name);
  }
  if (reread && !config.behaviorsFile.empty()) {
    auto file = loadBehaviorsFile(config.behaviorsFile);
    if (!file.ok()) return Error{2, config::formatErrors(file.errors())};
    const auto& now = file->behaviors;
    const std::string& name = config.behaviorsFile;
    if (now.size() != config.behaviors.size())
      return Error{2, name + ": behaviors: " + std::to_string(now.size()) + " behaviors, the PoP runs " +
                          std::to_string(config.behaviors.size()) +
                          " (a reload takes only their functions; restart the PoP to change the behaviors)"};
    for (size_t i = 0; i < now.size(); ++i) {
      if (now[i].pathPattern != config.behaviors[i].pathPattern)
        return Error{2, name + ": behaviors[" + std::to_string(i) + "].path_pattern: \"" + now[i].pathPattern +
                            "\", the PoP runs \"" + config.behaviors[i].pathPattern +
                            "\" (a reload takes only the functions; restart the PoP to change the behaviors)"};
      s.byBehavior[i] = now[i].functions;
    }
  }
  return s;
}

}  // namespace cdnlab::edge::pop
