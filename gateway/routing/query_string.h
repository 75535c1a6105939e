// A request's query string as the gateway reads it: "a=1&a=2&b" as a: ["1", "2"], b: [""], names
// and values percent-decoded. The one walk behind every reader: the proxy and WebSocket events,
// the REST API's method.request.querystring sources, the authorizers' identity sources, HTTP API
// parameter mapping and the management API's paging parameters.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdnlab::gateway {

// Names in first-arrival order, each with its values in arrival order.
using QueryParameters = std::vector<std::pair<std::string, std::vector<std::string>>>;

// What a raw '+' stands for. RFC 3986 gives it no meaning in a query (kLiteral: it stays '+');
// HTML form encoding makes it a space (kSpace), which the REST API's mapping sources read it as.
// An encoded "%2B" is '+' either way.
enum class PlusSign { kLiteral, kSpace };

// Every parameter of `query` (the part after '?', without it). Empty pairs ("a=1&&b") are no
// parameter; a name without '=' has the value "".
QueryParameters parseQueryParameters(std::string_view query, PlusSign plus);

// The values of parameter `name`, or nullptr when the query has none.
const std::vector<std::string>* queryValues(const QueryParameters& params, std::string_view name);

}  // namespace cdnlab::gateway
