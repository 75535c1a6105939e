// Catalog persistence: 'm'+name -> table record, 'c' -> next table id.
#include "origin/store/catalog.h"

#include "origin/store/streams/records.h"

#include <rocksdb/iterator.h>

#include <algorithm>

#include "origin/store/item_codec.h"
#include "origin/store/key_codec.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"

namespace cdnlab::store {
namespace {
const std::string kNextIdKey = "c";
}

std::string Catalog::metaKey(std::string_view name) { return "m" + std::string(name); }

Result<bool> Catalog::load() {
  std::string v;
  if (engine_.get(kNextIdKey, &v) && v.size() == 4) {
    nextId_ = (uint32_t(uint8_t(v[0])) << 24) | (uint32_t(uint8_t(v[1])) << 16) | (uint32_t(uint8_t(v[2])) << 8) |
              uint32_t(uint8_t(v[3]));
  }
  std::unique_ptr<rocksdb::Iterator> it(engine_.db()->NewIterator(rocksdb::ReadOptions()));
  std::vector<TableStatePtr> loaded;
  for (it->Seek("m"); it->Valid() && it->key().starts_with("m"); it->Next()) {
    auto t = decodeTable(it->value().ToStringView());
    if (!t) return t.error();
    uint64_t trimmed = streams::trimmedThrough(engine_.db(), t->id);
    t->streamTrimmed->store(trimmed);
    t->streamSeq->store(std::max(streams::lastSequence(engine_.db(), t->id), trimmed));
    auto st = std::make_shared<TableState>();
    st->desc.store(std::make_shared<const TableDesc>(std::move(*t)));
    loaded.push_back(st);
  }
  // Rebuild the counters: one pass over each table's items and index entries.
  for (auto& st : loaded) {
    auto desc = st->schema();
    std::string prefix = tablePrefix(desc->id);
    std::string end = prefixSuccessor(prefix);
    for (it->Seek(prefix); it->Valid() && it->key().compare(end) < 0; it->Next()) {
      auto item = attributeMapFromJson(it->value().ToStringView());
      if (!item) continue;
      st->stats.items += 1;
      st->stats.bytes += static_cast<int64_t>(itemSize(*item));
      for (const auto& idx : desc->indexes) {
        if (!indexEntryKey(*desc, idx, *item)) continue;
        int slot = static_cast<int>(idx.id % TableStats::kMaxIndexes);
        st->stats.indexItems[slot] += 1;
        st->stats.indexBytes[slot] += static_cast<int64_t>(itemSize(projectForIndex(*desc, idx, *item)));
      }
    }
    add(st);
  }
  return true;
}

TableStatePtr Catalog::find(std::string_view name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second;
}

std::vector<std::string> Catalog::names() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<std::string> out;
  for (const auto& [n, s] : tables_) out.push_back(n);
  return out;
}

std::vector<TableStatePtr> Catalog::tables() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<TableStatePtr> out;
  for (const auto& [n, s] : tables_) out.push_back(s);
  return out;
}

uint32_t Catalog::allocateId(rocksdb::WriteBatch& batch) {
  std::lock_guard<std::mutex> l(mu_);
  uint32_t id = nextId_++;
  std::string v;
  appendU32(v, nextId_);
  batch.Put(kNextIdKey, v);
  return id;
}

void Catalog::add(TableStatePtr state) {
  std::lock_guard<std::mutex> l(mu_);
  tables_[state->schema()->name] = std::move(state);
}

void Catalog::remove(std::string_view name) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = tables_.find(name);
  if (it != tables_.end()) tables_.erase(it);
}

}  // namespace cdnlab::store
