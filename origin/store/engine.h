// Engine: the store's RocksDB instance and its durability policy. Every mutation of the store
// (items, index entries, table metadata) goes through write() as one atomic WriteBatch; the
// caller acknowledges the client only once the returned ticket is durable.
//
//   always: each batch is written with WriteOptions.sync (RocksDB's own write group shares one
//           fsync among writers that arrive together); the ticket is durable on return.
//   batch:  group commit. Batches go to RocksDB's WAL buffer (manual_wal_flush); a committer
//           thread writes and fsyncs it (FlushWAL(true)) as soon as writers wait, at most every
//           `batchWindowUs` and at once when `batchMaxWaiters` wait, then releases every ticket
//           written before that flush began. A crash loses only unacknowledged writes.
//   none:   the WAL is written but never fsync'd by us (an OS crash may lose the tail, a process
//           crash does not: the WAL is in the page cache).
//
// Threading: write(), waitDurable() and onDurable() are thread-safe. onDurable callbacks run on
// the committer thread (or inline when the ticket is already durable) and must not block.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "origin/store/item_cache.h"

namespace cdnlab::store {

enum class SyncMode { Always, Batch, None };

// "always" | "batch" | "none".
Result<SyncMode> parseSyncMode(std::string_view name);

struct EngineOptions {
  std::string path;       // data directory (created if missing); ignored when inMemory
  bool inMemory = false;  // RocksDB on its in-memory Env (NewMemEnv): nothing touches the disk, sync is none
  SyncMode sync = SyncMode::Batch;
  int64_t batchWindowUs = 1000;
  size_t batchMaxWaiters = 64;
  size_t itemCacheBytes = 128u << 20;  // ItemCache in front of point reads of items; 0: none
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> open(const EngineOptions& options);
  ~Engine();  // close()
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  SyncMode syncMode() const { return options_.sync; }

  // Applies `batch` atomically. Returns a durability ticket: 0 if already durable.
  Result<uint64_t> write(rocksdb::WriteBatch& batch);
  // Blocks until `ticket` is durable.
  void waitDurable(uint64_t ticket);
  // Runs fn once `ticket` is durable (inline if it is already).
  void onDurable(uint64_t ticket, std::function<void()> fn);

  // Point read of the latest value of a key (false when absent); items come from the ItemCache
  // when it holds them.
  bool get(const std::string& key, std::string* value) const;
  ItemCache* itemCache() const { return itemCache_.get(); }

  // Syncs the WAL, stops the committer, closes the DB. Idempotent.
  void close();

 private:
  explicit Engine(EngineOptions options) : options_(std::move(options)) {}
  void committerLoop();
  void wakeCommitterLocked();  // mu_ held

  EngineOptions options_;
  std::unique_ptr<rocksdb::Env> memEnv_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions writeOptions_;
  std::unique_ptr<ItemCache> itemCache_;  // null when disabled

  // Group commit state (batch mode).
  std::atomic<uint64_t> written_{0};  // tickets handed out (each after its Write() returned)
  std::mutex mu_;
  std::condition_variable wake_;      // committer: someone waits
  std::condition_variable durableCv_; // waiters: durable_ moved
  uint64_t durable_ = 0;
  size_t blockedWaiters_ = 0;
  // True while the committer sleeps with nothing to do: only then does a new waiter wake it
  // (during a window or an fsync it re-checks on its own, so a notify per write is wasted).
  bool committerIdle_ = false;
  std::multimap<uint64_t, std::function<void()>> callbacks_;
  bool stopping_ = false;
  bool closed_ = false;
  std::thread committer_;
};

}  // namespace cdnlab::store
