// Placeholder resolution and the request-wide unused check (see placeholders.h).
#include "origin/store/expr/placeholders.h"

namespace cdnlab::store::expr {

const std::string* Placeholders::name(std::string_view placeholder) {
  if (!names_) return nullptr;
  auto it = names_->find(placeholder);
  if (it == names_->end()) return nullptr;
  usedNames_.insert(it->first);
  return &it->second;
}

const AttributeValue* Placeholders::value(std::string_view placeholder) {
  if (!values_) return nullptr;
  auto it = values_->find(placeholder);
  if (it == values_->end()) return nullptr;
  usedValues_.insert(it->first);
  return &it->second;
}

Result<bool> Placeholders::checkUnused() const {
  auto unused = [](const auto& map, const auto& used) {
    std::string keys;
    for (const auto& [key, _] : map) {
      if (used.count(key)) continue;
      if (!keys.empty()) keys += ", ";
      keys += key;
    }
    return keys;
  };
  if (names_) {
    std::string keys = unused(*names_, usedNames_);
    if (!keys.empty()) {
      return Error{kValidationError, "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys + "}"};
    }
  }
  if (values_) {
    std::string keys = unused(*values_, usedValues_);
    if (!keys.empty()) {
      return Error{kValidationError, "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + keys + "}"};
    }
  }
  return true;
}

}  // namespace cdnlab::store::expr
