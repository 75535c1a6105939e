// What the OpenAPI importers (HTTP APIs in openapi/importer.cc, REST APIs in rest/rest_import.cc)
// share when they read a document with yaml-cpp: errors that name the source and the line of the
// offending node, and the import boundary that turns yaml-cpp's exceptions into such errors.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdnlab::gateway {

// The document's name (a file name or "body") for errors: "<source>:<line>: <path>: <why>".
struct YamlSource {
  const std::string& source;
  Error fail(const YAML::Node& n, const std::string& path, const std::string& why) const;
};

// A node that holds one value (not a map, list or absent).
inline bool scalar(const YAML::Node& n) { return n.IsDefined() && n.IsScalar(); }

// ASCII upper case ("get" -> "GET"): OpenAPI's method keys and enum values are case-insensitive.
std::string upperAscii(std::string s);

// A map of strings at `path` (absent or null: empty); anything else is an error naming the member.
Result<std::map<std::string, std::string>> readYamlStringMap(const YamlSource& src, const YAML::Node& n,
                                                             const std::string& path);

// Parses `text` (YAML or JSON) and hands the root to `importDocument(root)`. yaml-cpp reports a
// malformed document, and a node of the wrong type on conversion, by throwing; this is the one
// place those exceptions stop, as an error naming the source and line.
template <typename T, typename Fn>
Result<T> importYamlDocument(std::string_view text, const std::string& source, Fn&& importDocument) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    return Error{400, source + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML or JSON: " + e.msg};
  }
  try {
    return importDocument(root);
  } catch (const YAML::Exception& e) {
    return Error{400, source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg};
  }
}

}  // namespace cdnlab::gateway
