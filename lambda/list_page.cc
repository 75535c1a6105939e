// Marker / MaxItems paging of the List* operations (see list_page.h).
#include "lambda/list_page.h"

#include <algorithm>
#include <string>

#include "common/parse_integer.h"
#include "lambda/codec.h"

namespace cdnlab::lambda {

ApiResult<ListPage> readListPage(std::string_view query, size_t total, int64_t maxItemsLimit) {
  int64_t maxItems = std::min<int64_t>(50, maxItemsLimit);
  if (auto mi = queryParam(query, "MaxItems")) {
    auto n = parseInteger<int64_t>(*mi);
    if (!n) return validationError(*mi, "maxItems", "Member must be a number");
    if (*n < 1) return validationError(*mi, "maxItems", "Member must have value greater than or equal to 1");
    if (*n > maxItemsLimit)
      return validationError(*mi, "maxItems", "Member must have value less than or equal to " + std::to_string(maxItemsLimit));
    maxItems = *n;
  }
  ListPage page;
  page.total = total;
  if (auto marker = queryParam(query, "Marker"); marker && !marker->empty()) {
    auto pos = parseInteger<size_t>(*marker);
    if (!pos || *pos > total) return invalidParameter("Invalid Marker: " + *marker);
    page.start = *pos;
  }
  page.end = page.start + std::min<size_t>(static_cast<size_t>(maxItems), total - page.start);
  return page;
}

void writeNextMarker(JsonWriter& w, const ListPage& page) {
  if (page.end < page.total) w.key("NextMarker").string(std::to_string(page.end));
}

}  // namespace cdnlab::lambda
