// Catalog: the tables the store knows, by name. Each table's metadata record ('m' + name) lives
// in RocksDB beside its items, so a restart finds every table, index, TTL setting and tag.
//
// Data-plane requests look a table up (a shared_ptr copy under a short lock) and hold
// TableState::writers shared while they write, so a schema change (new GSI, table deletion)
// can wait out every write that started under the old schema before it backfills or drops data.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "origin/store/engine.h"
#include "origin/store/table.h"
#include "origin/store/throughput.h"

namespace cdnlab::store {

struct TableState {
  std::atomic<std::shared_ptr<const TableDesc>> desc;
  TableStats stats;
  std::shared_mutex writers;  // shared: one data-plane write; exclusive: a schema barrier
  std::atomic<bool> deleted{false};
  // Provisioned throughput left in this second (and the burst kept), with --enforce-throughput.
  CapacityBucket readCapacity;
  CapacityBucket writeCapacity;
  // An on-demand table's global indexes' own maxima, by slot (IndexDesc::id % kMaxIndexes).
  CapacityBucket indexReadCapacity[TableStats::kMaxIndexes];
  CapacityBucket indexWriteCapacity[TableStats::kMaxIndexes];

  TableDescPtr schema() const { return desc.load(); }
  // Waits until every write that may have read the previous schema has finished.
  void drainWriters() { std::unique_lock<std::shared_mutex> l(writers); }
};

using TableStatePtr = std::shared_ptr<TableState>;

class Catalog {
 public:
  explicit Catalog(Engine& engine) : engine_(engine) {}

  // Reads every table's metadata and rebuilds the item counters with one scan per table.
  Result<bool> load();

  TableStatePtr find(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted, as ListTables returns them
  std::vector<TableStatePtr> tables() const;

  // New table id (persisted in `batch` with the table's record).
  uint32_t allocateId(rocksdb::WriteBatch& batch);

  // Register / unregister in memory (after the metadata write is durable).
  void add(TableStatePtr state);
  void remove(std::string_view name);

  static std::string metaKey(std::string_view name);

  // Serialises control-plane operations (one schema change at a time).
  std::mutex& controlMutex() { return controlMu_; }

 private:
  Engine& engine_;
  mutable std::mutex mu_;
  std::map<std::string, TableStatePtr, std::less<>> tables_;
  uint32_t nextId_ = 1;
  std::mutex controlMu_;
};

}  // namespace cdnlab::store
