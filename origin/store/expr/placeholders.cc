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

namespace {

// A placeholder is its sigil followed by one or more of [A-Za-z0-9_], as the lexer reads it.
bool wellFormed(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (char c : key.substr(1)) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return true;
}

}  // namespace

Result<bool> Placeholders::validateMaps() const {
  if (names_) {
    if (names_->empty()) return Error{kValidationError, "ExpressionAttributeNames must not be empty"};
    for (const auto& [key, _] : *names_) {
      if (!wellFormed(key, '#')) {
        return Error{kValidationError, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\""};
      }
    }
  }
  if (values_) {
    if (values_->empty()) return Error{kValidationError, "ExpressionAttributeValues must not be empty"};
    for (const auto& [key, _] : *values_) {
      if (!wellFormed(key, ':')) {
        return Error{kValidationError, "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\""};
      }
    }
  }
  return true;
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
