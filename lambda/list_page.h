// Marker / MaxItems paging as the Lambda List* operations share it (ListFunctions,
// ListVersionsByFunction, ListAliases, ListProvisionedConcurrencyConfigs). The marker is the
// position of the page's first entry in the operation's ordered list: opaque to clients, who
// only echo back the NextMarker they were given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lambda/api_result.h"
#include "lambda/json.h"

namespace cdnlab::lambda {

struct ListPage {
  size_t start = 0;   // first entry of the page
  size_t end = 0;     // one past the page's last entry
  size_t total = 0;   // entries in the whole list
};

// Reads Marker and MaxItems from the query string: MaxItems must lie in [1, maxItemsLimit]
// (ValidationException otherwise), a Marker that is no position of this list is an
// InvalidParameterValueException. Without MaxItems a page holds up to 50 entries, as AWS's do.
ApiResult<ListPage> readListPage(std::string_view query, size_t total, int64_t maxItemsLimit);

// Writes "NextMarker" when entries remain after the page.
void writeNextMarker(JsonWriter& w, const ListPage& page);

}  // namespace cdnlab::lambda
