// Invoke target and stage selection (see invoke_target.h).
#include "gateway/routing/invoke_target.h"

#include <cctype>

namespace cdnlab::gateway {

bool invokeTargetOf(std::string_view host, std::string_view path, InvokeTarget& out) {
  static constexpr std::string_view kMarker = ".execute-api.";
  static constexpr std::string_view kPathForm = "/_api/";
  if (auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  auto m = host.find(kMarker);
  if (m != std::string_view::npos && m > 0) {
    out.apiId.assign(host.substr(0, m));
    for (auto& c : out.apiId) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.domainName.assign(host);
    out.path.assign(path.empty() ? std::string_view("/") : path);
    return true;
  }
  if (path.rfind(kPathForm, 0) == 0) {
    std::string_view rest = path.substr(kPathForm.size());
    size_t slash = rest.find('/');
    out.apiId.assign(rest.substr(0, slash));
    if (out.apiId.empty()) return false;
    out.domainName = out.apiId + ".execute-api.localhost";
    out.path.assign(slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash));
    return true;
  }
  return false;
}

StageSelection selectStage(const CompiledApi& api, std::string_view path) {
  StageSelection s;
  std::string_view p = path.empty() ? std::string_view("/") : path;
  size_t end = p.find('/', 1);
  std::string_view first = p.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  if (!first.empty()) {
    auto it = api.stages.find(std::string(first));
    if (it != api.stages.end() && it->first != "$default") {
      s.stage = &it->second;
      s.stagePath = end == std::string_view::npos ? std::string_view("/") : p.substr(end);
      return s;
    }
  }
  if (api.hasDefaultStage) {
    s.stage = &api.stages.at("$default");
    s.stagePath = p;
  }
  return s;
}

}  // namespace cdnlab::gateway
