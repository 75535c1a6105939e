// Item size (see size.h for the formula and its source).
#include "origin/store/model/size.h"

namespace cdnlab::store {

size_t valueSize(const AttributeValue& value) {
  switch (value.type()) {
    case ValueType::S: return value.s().size();
    case ValueType::N: return value.n().storageSize();
    case ValueType::B: return value.b().size();
    case ValueType::BOOL:
    case ValueType::NUL: return 1;
    case ValueType::M: {
      size_t total = 3;
      for (const auto& [name, v] : value.m()) total += name.size() + valueSize(v) + 1;
      return total;
    }
    case ValueType::L: {
      size_t total = 3;
      for (const auto& v : value.l()) total += valueSize(v) + 1;
      return total;
    }
    case ValueType::SS: {
      size_t total = 0;
      for (const auto& s : value.ss()) total += s.size();
      return total;
    }
    case ValueType::NS: {
      size_t total = 0;
      for (const auto& n : value.ns()) total += n.storageSize();
      return total;
    }
    case ValueType::BS: {
      size_t total = 0;
      for (const auto& b : value.bs()) total += b.size();
      return total;
    }
  }
  return 0;
}

size_t itemSize(const Item& item) {
  size_t total = 0;
  for (const auto& [name, value] : item) total += name.size() + valueSize(value);
  return total;
}

}  // namespace cdnlab::store
