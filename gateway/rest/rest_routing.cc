// REST API resource matching and template / response selection (see rest_routing.h).
#include "gateway/rest/rest_routing.h"

#include <cctype>

#include "gateway/routing/path_segments.h"
#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {
namespace {

// Rank of a resource for a path: per segment 0 literal, 1 {param}, 2 {proxy+}; lower wins,
// compared segment by segment. False when it does not match.
bool rank(const CompiledResource& r, const std::vector<std::string_view>& segs, std::vector<int>& out,
          std::vector<std::pair<std::string, std::string>>& params) {
  out.clear();
  params.clear();
  size_t n = r.segments.size();
  for (size_t i = 0; i < n; ++i) {
    const std::string& s = r.segments[i];
    bool isVar = s.size() > 2 && s.front() == '{' && s.back() == '}';
    bool greedy = isVar && s[s.size() - 2] == '+';
    if (greedy) {
      if (i + 1 != n || segs.size() <= i) return false;
      std::string rest;
      for (size_t k = i; k < segs.size(); ++k) rest += (k > i ? "/" : "") + std::string(segs[k]);
      params.emplace_back(s.substr(1, s.size() - 3), percentDecode(rest));
      out.push_back(2);
      return true;
    }
    if (i >= segs.size() || segs[i].empty()) return false;
    if (isVar) {
      params.emplace_back(s.substr(1, s.size() - 2), percentDecode(segs[i]));
      out.push_back(1);
    } else {
      if (s != segs[i]) return false;
      out.push_back(0);
    }
  }
  return n == segs.size();
}

std::string lowerBase(std::string_view ct) {
  std::string s(ct.substr(0, ct.find(';')));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t b = s.find_first_not_of(" \t");
  s = b == std::string::npos ? "" : s.substr(b);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

ResourceMatch matchResource(const CompiledRestStage& stage, std::string_view method, std::string_view path) {
  ResourceMatch best;
  std::vector<int> bestRank, r;
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view p = path.empty() ? "/" : path;
  std::vector<std::string_view> segs;
  splitPath(p, segs);  // "/items/" is not "/items"
  for (const auto& res : stage.resources) {
    if (!rank(res, segs, r, params)) continue;
    if (!best.resource || r < bestRank) {
      best.resource = &res;
      bestRank = r;
      best.pathParameters = params;
    }
  }
  if (!best.resource) return best;
  auto it = best.resource->methods.find(std::string(method));
  if (it == best.resource->methods.end()) it = best.resource->methods.find("ANY");
  if (it != best.resource->methods.end()) best.method = &it->second;
  return best;
}

TemplateChoice chooseRequestTemplate(const CompiledRestMethod& m, std::string_view contentType) {
  TemplateChoice c;
  const auto& tpls = m.requestTemplates;
  std::string ct = contentType.empty() ? "application/json" : lowerBase(contentType);
  for (const auto& [k, t] : tpls)
    if (lowerBase(k) == ct) {
      c.kind = TemplateChoice::Kind::Render;
      c.tpl = t.get();
      return c;
    }
  const std::string& behavior = m.config.integration ? m.config.integration->passthroughBehavior : std::string("WHEN_NO_MATCH");
  if (behavior == "NEVER" || (behavior == "WHEN_NO_TEMPLATES" && !tpls.empty())) {
    c.kind = TemplateChoice::Kind::Unsupported;
    return c;
  }
  c.kind = TemplateChoice::Kind::Passthrough;
  return c;
}

const CompiledIntegrationResponse* selectIntegrationResponse(const CompiledRestMethod& m, std::string_view selector) {
  const CompiledIntegrationResponse* fallback = nullptr;
  for (const auto& r : m.responses) {
    if (!r.pattern) {
      fallback = &r;
      continue;
    }
    // Selectors are a status code or a Lambda error message; long messages are cut so a
    // backtracking pattern stays bounded.
    std::string s(selector.substr(0, 4096));
    bool matched = false;
    try {  // std::regex can throw on pathological input (complexity); treat that as no match
      matched = std::regex_match(s, *r.pattern);
    } catch (const std::regex_error&) {
      matched = false;
    }
    if (matched) return &r;
  }
  return fallback;
}

std::pair<std::string, const vtl::Template*> chooseResponseTemplate(const CompiledIntegrationResponse& r) {
  if (r.templates.empty()) return {"application/json", nullptr};
  auto it = r.templates.find("application/json");
  if (it == r.templates.end()) it = r.templates.begin();
  return {it->first, it->second.get()};
}

}  // namespace cdnlab::gateway
