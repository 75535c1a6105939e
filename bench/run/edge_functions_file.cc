// Per-PoP edge-function files for `cdnlab up` (see edge_functions_file.h).
#include "bench/run/edge_functions_file.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>

namespace cdnlab::bench::run {

std::string edgeFunctionsYaml(const geo::PopSpec& pop, const std::string& topologyFile) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "edge_functions" << YAML::Value << YAML::BeginSeq;
  for (const auto& f : pop.edgeFunctions) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "trigger" << YAML::Value << f.trigger;
    out << YAML::Key << "function" << YAML::Value << f.function;
    out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << f.path;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return "# Written by `cdnlab up` from " + (topologyFile.empty() ? std::string("the embedded default topology") : topologyFile) +
         " (PoP " + pop.id + "); `cdnlab up --reload` rewrites it. docs/edge-functions.md\n" + out.c_str() + "\n";
}

std::string edgeFunctionsPath(const std::string& dir, const std::string& popId) {
  return dir + "/" + popId + ".edge-functions.yaml";
}

Result<bool> replaceFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f.flush()) return Error{1, "cannot write " + tmp};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{1, "cannot replace " + path};
  }
  return true;
}

Result<std::map<std::string, std::string>> writeEdgeFunctionFiles(const geo::Topology& topo,
                                                                  const std::string& topologyFile,
                                                                  const std::string& dir) {
  std::map<std::string, std::string> written;
  for (const auto& p : topo.pops) {
    if (p.edgeFunctions.empty()) continue;
    const std::string path = edgeFunctionsPath(dir, p.id);
    if (auto ok = replaceFile(path, edgeFunctionsYaml(p, topologyFile)); !ok.ok()) return ok.error();
    written[p.id] = path;
  }
  return written;
}

}  // namespace cdnlab::bench::run
