#include "common/config/error.h"

namespace cdnlab::config {

std::string ConfigError::str() const {
  std::string s = file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  s += ": ";
  if (!field.empty()) s += field + ": ";
  s += message;
  return s;
}

std::string formatErrors(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += e.str();
    out += '\n';
  }
  return out;
}

}  // namespace cdnlab::config
