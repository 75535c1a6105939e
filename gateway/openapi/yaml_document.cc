// Reading OpenAPI documents with yaml-cpp (see yaml_document.h).
#include "gateway/openapi/yaml_document.h"

#include <cctype>

namespace cdnlab::gateway {

Error YamlSource::fail(const YAML::Node& n, const std::string& path, const std::string& why) const {
  int line = n.IsDefined() ? n.Mark().line + 1 : 0;
  return Error{400, source + ":" + std::to_string(line) + ": " + path + ": " + why};
}

std::string upperAscii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<std::map<std::string, std::string>> readYamlStringMap(const YamlSource& src, const YAML::Node& n,
                                                             const std::string& path) {
  std::map<std::string, std::string> m;
  if (!n.IsDefined() || n.IsNull()) return m;
  if (!n.IsMap()) return src.fail(n, path, "must be a map of strings");
  for (const auto& kv : n) {
    if (!kv.second.IsScalar()) return src.fail(kv.second, path + "." + kv.first.as<std::string>(), "must be a string");
    m[kv.first.as<std::string>()] = kv.second.as<std::string>();
  }
  return m;
}

}  // namespace cdnlab::gateway
