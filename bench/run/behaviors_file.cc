// Per-PoP behaviors files for `cdnlab up` (see behaviors_file.h).
#include "bench/run/behaviors_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>

namespace cdnlab::bench::run {

Result<std::map<std::string, std::string>> writeBehaviorFiles(const geo::Topology& topo, const std::string& topologyFile,
                                                              const std::string& dir,
                                                              const std::string& gatewayPathPrefix) {
  std::map<std::string, std::string> written;
  bool any = false;
  for (const auto& p : topo.pops) any |= !p.behaviorNames.empty();
  if (!any) return written;
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(topologyFile);
  } catch (const YAML::Exception& e) {
    return Error{1, topologyFile + ": " + e.what()};
  }
  const YAML::Node pops = doc["pops"];
  if (!pops.IsSequence()) return Error{1, topologyFile + ": no pops list (the file changed since it was loaded?)"};
  for (size_t i = 0; i < topo.pops.size() && i < pops.size(); ++i) {
    const geo::PopSpec& p = topo.pops[i];
    if (p.behaviorNames.empty()) continue;
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "origins" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, url] : geo::behaviorOrigins(topo, p.id, gatewayPathPrefix))
      out << YAML::Key << name << YAML::Value << url;
    out << YAML::EndMap;
    out << YAML::Key << "behaviors" << YAML::Value << pops[i]["behaviors"];
    out << YAML::EndMap;
    if (!out.good()) return Error{1, "behaviors of " + p.id + ": " + out.GetLastError()};
    const std::string path = dir + "/" + p.id + ".behaviors.yaml";
    std::ofstream f(path, std::ios::trunc);
    f << "# Written by `cdnlab up` from " << topologyFile << " (PoP " << p.id << "); docs/behaviors.md\n"
      << out.c_str() << "\n";
    if (!f.flush()) return Error{1, "cannot write " + path};
    written[p.id] = path;
  }
  return written;
}

}  // namespace cdnlab::bench::run
