// Multi-valued headers and query strings of Lambda events (see multi_value.h).
#include "gateway/integrations/multi_value.h"

#include <algorithm>

#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {

MultiValues groupQuery(std::string_view q) {
  MultiValues out;
  size_t i = 0;
  while (i < q.size()) {
    size_t amp = q.find('&', i);
    std::string_view part = q.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string name = percentDecode(part.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : percentDecode(part.substr(eq + 1));
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
      if (it == out.end()) out.push_back({name, {value}});
      else it->second.push_back(value);
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return out;
}

void writeLastAndAllValues(JsonWriter& w, std::string_view lastKey, std::string_view allKey, const MultiValues& values) {
  jkey(w, lastKey);
  w.StartObject();
  for (const auto& [n, v] : values) jkv(w, n, v.back());
  w.EndObject();
  jkey(w, allKey);
  w.StartObject();
  for (const auto& [n, v] : values) jlist(w, n, v);
  w.EndObject();
}

}  // namespace cdnlab::gateway
