// Query-string parsing (see query_string.h).
#include "gateway/routing/query_string.h"

#include <algorithm>

#include "gateway/routing/route_table.h"

namespace cdnlab::gateway {
namespace {

std::string decodeQueryPart(std::string_view raw, PlusSign plus) {
  if (plus == PlusSign::kLiteral || raw.find('+') == std::string_view::npos) return percentDecode(raw);
  std::string spaced(raw);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');  // before decoding, so "%2B" stays '+'
  return percentDecode(spaced);
}

}  // namespace

QueryParameters parseQueryParameters(std::string_view query, PlusSign plus) {
  QueryParameters out;
  size_t i = 0;
  while (i < query.size()) {
    size_t amp = query.find('&', i);
    std::string_view part = query.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string name = decodeQueryPart(part.substr(0, eq), plus);
      std::string value = eq == std::string_view::npos ? "" : decodeQueryPart(part.substr(eq + 1), plus);
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
      if (it == out.end()) out.push_back({std::move(name), {std::move(value)}});
      else it->second.push_back(std::move(value));
    }
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return out;
}

const std::vector<std::string>* queryValues(const QueryParameters& params, std::string_view name) {
  for (const auto& [n, values] : params)
    if (n == name) return &values;
  return nullptr;
}

}  // namespace cdnlab::gateway
