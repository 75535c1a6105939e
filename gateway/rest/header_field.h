// A header that a REST mapping template or a gateway response sets: both may quote request
// bytes, so both keep it one printable field (a token name, a value without control characters).
#pragma once

#include <string_view>

#include "common/http/message.h"

namespace cdnlab::gateway {

inline bool safeHeaderField(std::string_view name, std::string_view value) {
  if (!http::isToken(name) || value.size() > 8192) return false;
  for (char c : value)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

}  // namespace cdnlab::gateway
