// Names with all their values, as the 1.0 proxy event and the WebSocket event carry headers and
// query strings: each name once with its last value ("headers") and once with every value
// ("multiValueHeaders").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/json.h"

namespace cdnlab::gateway {

// Names in first-arrival order, each with its values in arrival order.
using MultiValues = std::vector<std::pair<std::string, std::vector<std::string>>>;

// "<lastKey>": {name: last value, ...}, "<allKey>": {name: [every value], ...}.
void writeLastAndAllValues(JsonWriter& w, std::string_view lastKey, std::string_view allKey, const MultiValues& values);

}  // namespace cdnlab::gateway
