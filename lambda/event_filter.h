// Event filtering for event source mappings (FilterCriteria): which stream records reach the
// function. The patterns are Lambda's (the EventBridge pattern subset Lambda documents): a JSON
// object whose keys follow the record's structure and whose leaves are arrays of matchers, any of
// which may match: exact values ("x", 5, true, null, "" for empty), {"prefix":..},
// {"suffix":..}, {"equals-ignore-case":..}, {"anything-but":[..]}, {"numeric":[">",0,"<=",5]},
// {"exists":true|false}, and "$or":[pattern, ...]. Keys of one object must all match (AND); a
// record passes when any of the mapping's filters matches. Parsing checks a pattern completely,
// so matching never meets a malformed one.
#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::lambda {

class EventFilter {
 public:
  // A pattern as FilterCriteria.Filters[].Pattern carries it (a JSON string); the error says
  // what is wrong and where ("$.dynamodb.NewImage.n.N[0]: numeric needs ...").
  static Result<EventFilter> parse(std::string_view pattern);
  bool matches(const rapidjson::Value& record) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<rapidjson::Document> pattern_;
};

// The filters of one mapping: empty lets everything through.
class FilterCriteria {
 public:
  static constexpr size_t kMaxFilters = 5;       // AWS's default quota per mapping
  static constexpr size_t kMaxPatternBytes = 4096;

  Result<bool> add(std::string_view pattern);
  bool matches(const rapidjson::Value& record) const;
  bool empty() const { return filters_.empty(); }
  const std::vector<EventFilter>& filters() const { return filters_; }

 private:
  std::vector<EventFilter> filters_;
};

}  // namespace cdnlab::lambda
