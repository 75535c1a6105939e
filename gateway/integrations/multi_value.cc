// Multi-valued headers and query strings of Lambda events (see multi_value.h).
#include "gateway/integrations/multi_value.h"

namespace cdnlab::gateway {

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
