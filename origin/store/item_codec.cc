// Item <-> record encoding and the key checks of PutItem / GetItem / DeleteItem / UpdateItem.
#include "origin/store/item_codec.h"

#include <algorithm>

#include "origin/store/request_util.h"
#include "origin/store/streams/records.h"

#include "origin/store/model/json.h"
#include "origin/store/model/size.h"

namespace cdnlab::store {
namespace {

// DynamoDB's key size limits (Developer Guide, "Partition key length": 1 to 2048 bytes; "Sort key
// length": 1 to 1024 bytes).
constexpr size_t kMaxHashKeyBytes = 2048;
constexpr size_t kMaxRangeKeyBytes = 1024;

size_t keyBytes(const AttributeValue& v) {
  if (v.is(ValueType::S)) return v.s().size();
  if (v.is(ValueType::B)) return v.b().size();
  return valueSize(v);
}

bool appendKey(std::string& out, const AttributeValue& v) {
  auto kv = keyValueOf(v);
  if (!kv) return false;
  return appendKeyComponent(out, *kv).ok();
}

std::string encodeFromValues(const std::string& prefix, const AttributeValue& h, const AttributeValue* r) {
  auto kv = keyValueOf(h);
  auto p = partitionPrefix(prefix, *kv);
  std::string k = p ? std::move(*p) : prefix;
  if (r) appendKey(k, *r);
  return k;
}

}  // namespace

Result<KeyValue> keyValueOf(const AttributeValue& v) {
  switch (v.type()) {
    case ValueType::S: return KeyValue{KeyType::S, v.s()};
    case ValueType::N: return KeyValue{KeyType::N, v.n().toString()};
    case ValueType::B: return KeyValue{KeyType::B, v.b()};
    default: return Error{400, "not a key type"};
  }
}

Result<std::string> encodeKeyMap(const TableDesc& t, const Item& key, ApiError* err) {
  size_t want = t.hasRange() ? 2 : 1;
  auto h = key.find(t.key.hashName());
  const AttributeValue* r = nullptr;
  bool ok = key.size() == want && h != key.end() && h->second.type() == t.key.hashType();
  if (ok && t.hasRange()) {
    auto it = key.find(t.key.rangeName());
    ok = it != key.end() && it->second.type() == t.key.rangeType();
    if (ok) r = &it->second;
  }
  if (!ok) {
    *err = validation("The provided key element does not match the schema");
    return Error{400, err->message};
  }
  // Each part in turn, hash first: empty, then too long (the limits PutItem applies to an item's
  // key apply to every key a request names, GetItem's and DeleteItem's included).
  for (const auto* v : {&h->second, r}) {
    if (!v) continue;
    if ((v->is(ValueType::S) && v->s().empty()) || (v->is(ValueType::B) && v->b().empty())) {
      *err = validation(std::string(kEmptyKeyValuePrefix) + (v->is(ValueType::S) ? "string" : "binary") +
                        " value. Key: " + (v == r ? t.key.rangeName() : t.key.hashName()));
      return Error{400, err->message};
    }
    if (v != r && keyBytes(*v) > kMaxHashKeyBytes) {
      *err = validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
      return Error{400, err->message};
    }
    if (v == r && keyBytes(*v) > kMaxRangeKeyBytes) {
      *err = validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
      return Error{400, err->message};
    }
  }
  return encodeFromValues(tablePrefix(t.id), h->second, r);
}

Result<std::string> encodeItemKey(const TableDesc& t, const Item& item, ApiError* err) {
  auto fail = [&](std::string msg) -> Result<std::string> {
    *err = validation(std::move(msg));
    return Error{400, err->message};
  };
  const AttributeValue* parts[2] = {nullptr, nullptr};
  for (int i = 0; i < (t.hasRange() ? 2 : 1); ++i) {
    const std::string& name = i == 0 ? t.key.hashName() : t.key.rangeName();
    ValueType type = i == 0 ? t.key.hashType() : t.key.rangeType();
    auto it = item.find(name);
    if (it == item.end()) return fail("One or more parameter values were invalid: Missing the key " + name + " in the item");
    if (it->second.type() != type)
      return fail("One or more parameter values were invalid: Type mismatch for key " + name + " expected: " +
                  std::string(typeName(type)) + " actual: " + std::string(typeName(it->second.type())));
    const AttributeValue& v = it->second;
    if ((v.is(ValueType::S) && v.s().empty()) || (v.is(ValueType::B) && v.b().empty()))
      return fail(std::string(kEmptyKeyValuePrefix) + (v.is(ValueType::S) ? "string" : "binary") + " value. Key: " + name);
    if (i == 0 && keyBytes(v) > kMaxHashKeyBytes)
      return fail("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
    if (i == 1 && keyBytes(v) > kMaxRangeKeyBytes)
      return fail("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    parts[i] = &v;
  }
  for (const auto& idx : t.indexes) {
    for (const auto* part : {&idx.key.hash, &idx.key.range}) {
      for (const auto& [name, type] : *part) {
        auto it = item.find(name);
        if (it == item.end()) continue;
        if (it->second.type() != type)
          return fail("One or more parameter values were invalid: Type mismatch for Index Key " + name + " Expected: " +
                      std::string(typeName(type)) + " Actual: " + std::string(typeName(it->second.type())) +
                      " IndexName: " + idx.name);
        const AttributeValue& v = it->second;
        if ((v.is(ValueType::S) && v.s().empty()) || (v.is(ValueType::B) && v.b().empty()))
          return fail("One or more parameter values are not valid. A value specified for a secondary index key is not "
                      "supported. The AttributeValue for a key attribute cannot contain an empty " +
                      std::string(v.is(ValueType::S) ? "string" : "binary") + " value. IndexName: " + idx.name +
                      ", IndexKey: " + name);
      }
    }
  }
  return encodeFromValues(tablePrefix(t.id), *parts[0], parts[1]);
}

std::string storedItemKey(const TableDesc& t, const Item& item) {
  auto h = item.find(t.key.hashName());
  const AttributeValue* r = nullptr;
  if (t.hasRange()) {
    auto it = item.find(t.key.rangeName());
    if (it != item.end()) r = &it->second;
  }
  if (h == item.end()) return tablePrefix(t.id);
  return encodeFromValues(tablePrefix(t.id), h->second, r);
}

// An empty string or binary cannot be a key (writes refuse one for an index key; an item written
// before its index was created may hold one, and stays out of the index).
static bool emptyKeyValue(const AttributeValue& v) {
  return (v.is(ValueType::S) && v.s().empty()) || (v.is(ValueType::B) && v.b().empty());
}

std::optional<std::string> indexEntryKey(const TableDesc& t, const IndexDesc& index, const Item& item) {
  // The entry exists only when the item has every key attribute of the index with its type.
  auto valueOf = [&](const expr::KeyAttribute& a) -> const AttributeValue* {
    auto it = item.find(a.name);
    if (it == item.end() || it->second.type() != a.type || emptyKeyValue(it->second)) return nullptr;
    return &it->second;
  };
  std::vector<KeyValue> partition;
  partition.reserve(index.key.hash.size());
  for (const auto& a : index.key.hash) {
    const AttributeValue* v = valueOf(a);
    if (!v) return std::nullopt;
    auto kv = keyValueOf(*v);
    if (!kv) return std::nullopt;
    partition.push_back(std::move(*kv));
  }
  auto p = partitionPrefix(indexPrefix(t.id, index.id), partition);
  if (!p) return std::nullopt;
  std::string k = std::move(*p);
  for (const auto& a : index.key.range) {
    const AttributeValue* v = valueOf(a);
    if (!v || !appendKey(k, *v)) return std::nullopt;
  }
  // The table key makes the entry unique (many items may share a GSI key).
  auto th = item.find(t.key.hashName());
  if (th == item.end() || !appendKey(k, th->second)) return std::nullopt;
  if (t.hasRange()) {
    auto tr = item.find(t.key.rangeName());
    if (tr == item.end() || !appendKey(k, tr->second)) return std::nullopt;
  }
  return k;
}

Item keyOf(const TableDesc& t, const IndexDesc* index, const Item& item) {
  Item out;
  auto take = [&](const expr::KeySchema& k) {
    for (const auto* part : {&k.hash, &k.range}) {
      for (const auto& a : *part) {
        auto it = item.find(a.name);
        if (it != item.end()) out.emplace(it->first, it->second);
      }
    }
  };
  take(t.key);
  if (index) take(index->key);
  return out;
}

Item projectForIndex(const TableDesc& t, const IndexDesc& index, const Item& item) {
  if (index.projection == ProjectionType::All) return item;
  Item out = keyOf(t, &index, item);
  if (index.projection == ProjectionType::Include) {
    for (const auto& n : index.nonKeyAttributes) {
      auto it = item.find(n);
      if (it != item.end()) out.emplace(it->first, it->second);
    }
  }
  return out;
}

void appendItemWrite(rocksdb::WriteBatch& batch, const TableDesc& t, const std::string& itemKey,
                     const Item* oldItem, const Item* newItem, WriteDelta* delta, bool byService) {
  if (t.streamEnabled) streams::appendStreamRecord(batch, t, oldItem, newItem, byService);
  if (oldItem) {
    delta->items -= 1;
    delta->bytes -= static_cast<int64_t>(itemSize(*oldItem));
  }
  if (newItem) {
    batch.Put(itemKey, toJson(*newItem));
    delta->items += 1;
    delta->bytes += static_cast<int64_t>(itemSize(*newItem));
  } else if (oldItem) {
    batch.Delete(itemKey);
  }
  for (const auto& idx : t.indexes) {
    int slot = static_cast<int>(idx.id % TableStats::kMaxIndexes);
    std::optional<std::string> oldKey, newKey;
    Item oldProj, newProj;
    if (oldItem && (oldKey = indexEntryKey(t, idx, *oldItem))) oldProj = projectForIndex(t, idx, *oldItem);
    if (newItem && (newKey = indexEntryKey(t, idx, *newItem))) newProj = projectForIndex(t, idx, *newItem);
    if (oldKey && newKey && *oldKey == *newKey && oldProj == newProj) continue;  // untouched entry
    const size_t oldSize = oldKey ? itemSize(oldProj) : 0;
    const size_t newSize = newKey ? itemSize(newProj) : 0;
    if (oldKey && newKey && *oldKey == *newKey) {
      delta->indexUnits[slot] += writeUnitsFor(std::max(oldSize, newSize));
    } else {
      if (oldKey) delta->indexUnits[slot] += writeUnitsFor(oldSize);
      if (newKey) delta->indexUnits[slot] += writeUnitsFor(newSize);
    }
    if (oldKey) {
      delta->indexItems[slot] -= 1;
      delta->indexBytes[slot] -= static_cast<int64_t>(oldSize);
      if (!newKey || *newKey != *oldKey) batch.Delete(*oldKey);
    }
    if (newKey) {
      batch.Put(*newKey, toJson(newProj));
      delta->indexItems[slot] += 1;
      delta->indexBytes[slot] += static_cast<int64_t>(newSize);
    }
  }
}

void applyDelta(TableStats& stats, const WriteDelta& d) {
  stats.items += d.items;
  stats.bytes += d.bytes;
  for (int i = 0; i < TableStats::kMaxIndexes; ++i) {
    if (d.indexItems[i]) stats.indexItems[i] += d.indexItems[i];
    if (d.indexBytes[i]) stats.indexBytes[i] += d.indexBytes[i];
  }
}

}  // namespace cdnlab::store
