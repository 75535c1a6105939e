// Service: the DynamoDB API over the engine. The core is socket-free:
//   handleRequest(target, body, headers) -> ApiResponse
// which the HTTP binding (http_binding.h) and the unit tests both call. Every operation is a
// member function in one of the ops_*.cc files; they share the request helpers below.
//
// Threading: handleRequest is thread-safe and may be called from any number of threads. It never
// blocks on the disk in batch mode: a write's response carries a durability ticket, and the
// caller acknowledges it only once Engine reports the ticket durable (handleRequestBlocking
// waits inline; the HTTP binding waits asynchronously).
#pragma once

#include <rapidjson/document.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "origin/store/api_error.h"
#include "origin/store/arn_form.h"
#include "origin/store/catalog.h"
#include "origin/store/engine.h"
#include "origin/store/expr/expr.h"
#include "origin/store/item_codec.h"
#include "origin/store/lock_stripes.h"
#include "common/auth/sigv4.h"

namespace cdnlab::store {

// The SigV4 verifier lives in common/auth (the gateway uses it too).
using auth::Credential;
using auth::SignedHeaderLookup;


struct ApiResponse {
  int status = 200;
  std::string body;
  std::string contentType = "application/x-amz-json-1.0";
  uint64_t durableTicket = 0;  // 0: nothing to wait for
};

struct ServiceOptions {
  std::string region = "us-east-1";
  // SigV4: when auth is on, requests must be signed with one of these keys.
  bool auth = false;
  std::vector<Credential> credentials;
  int64_t ttlSweepIntervalMs = 1000;  // 0: no background sweeper (tests call sweepTtl())
  // How long stream records are kept (DynamoDB: 24 hours); shorter lets a test see trimming.
  int64_t streamRetentionMs = 24LL * 3600 * 1000;
  // Throttle PROVISIONED tables to their ReadCapacityUnits / WriteCapacityUnits (throughput.h),
  // keeping up to burstSeconds of unused capacity as DynamoDB does (300 s).
  bool enforceThroughput = false;
  double burstSeconds = 300;
  // Answer common requests through their fast paths (GetItem: ops_get_fast.cc, UpdateItem:
  // ops_update_fast.cc). Off, every request
  // takes the general parse: tests compare the two.
  bool requestFastPaths = true;
};

// Request header lookup (case-insensitive name): all fields of that name joined with ",", or
// nullopt when absent (SigV4's form, see sigv4.h).
using HeaderLookup = SignedHeaderLookup;

// Whether a Host header value can be named back to the client (health check, DescribeEndpoints).
bool isPlausibleHost(std::string_view host);

struct ReadSpec;  // one Query / Scan page (ops_query.cc)

class Service {
 public:
  Service(Engine& engine, ServiceOptions options, const Clock& clock = SystemClock::instance());
  ~Service();  // stop()

  Result<bool> start();  // loads the catalog, starts the TTL sweeper
  void stop();

  // `target` is the X-Amz-Target value; `method`/`path`/`query` feed SigV4 when auth is on.
  ApiResponse handleRequest(std::string_view target, std::string_view body, const HeaderLookup& headers = {},
                            std::string_view method = "POST", std::string_view path = "/",
                            std::string_view query = "");
  // Same, then waits for durability (tests, simple callers).
  ApiResponse handleRequestBlocking(std::string_view target, std::string_view body);

  Engine& engine() { return engine_; }
  Catalog& catalog() { return catalog_; }

  // Deletes every item whose TTL attribute is a number of epoch seconds before `nowEpochSeconds`.
  // Returns how many were deleted.
  size_t sweepTtl(int64_t nowEpochSeconds);
  // Deletes stream records older than the retention (24 hours unless ServiceOptions say otherwise)
  // and advances each stream's trim horizon. Returns how many were deleted.
  size_t trimStreams(int64_t nowEpochMs);

  static std::string errorBody(const ApiError& e);

  // Per-operation counters.
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> fastPathAnswers{0};  // requests a fast path answered (the rest: general)

 private:
  using Doc = rapidjson::Document;
  struct Out {
    rapidjson::StringBuffer sb;
    JsonWriter w{sb};
    uint64_t ticket = 0;
  };
  using OpResult = Result<bool>;  // errors travel in ApiError below
  using Op = bool (Service::*)(const Doc&, Out&, ApiError&);

  Op findOp(std::string_view name) const;

  // Control plane (ops_tables.cc).
  bool createTable(const Doc&, Out&, ApiError&);
  bool describeTable(const Doc&, Out&, ApiError&);
  bool listTables(const Doc&, Out&, ApiError&);
  bool deleteTable(const Doc&, Out&, ApiError&);
  bool updateTable(const Doc&, Out&, ApiError&);
  bool updateTimeToLive(const Doc&, Out&, ApiError&);
  bool describeTimeToLive(const Doc&, Out&, ApiError&);
  bool tagResource(const Doc&, Out&, ApiError&);
  bool untagResource(const Doc&, Out&, ApiError&);
  bool listTagsOfResource(const Doc&, Out&, ApiError&);
  bool describeEndpoints(const Doc&, Out&, ApiError&);
  bool describeLimits(const Doc&, Out&, ApiError&);
  bool describeContinuousBackups(const Doc&, Out&, ApiError&);  // ops_backups.cc
  bool updateContinuousBackups(const Doc&, Out&, ApiError&);
  // Items (ops_items.cc).
  bool putItem(const Doc&, Out&, ApiError&);
  bool getItem(const Doc&, Out&, ApiError&);
  // GetItem's common request answered from the raw body (ops_get_fast.cc); false: not handled,
  // with no effect, and the general path runs.
  bool getItemFast(std::string_view body, ApiResponse& r);
  // UpdateItem's common field update answered from the raw body (ops_update_fast.cc); false: not
  // handled, with no effect, and the general path runs.
  bool updateItemFast(std::string_view body, ApiResponse& r);
  bool deleteItem(const Doc&, Out&, ApiError&);
  bool updateItem(const Doc&, Out&, ApiError&);
  // A single-item write's read of the old item (its stripe locked by the caller) and the check of
  // its condition: ConditionalCheckFailedException, with the old item if asked for.
  bool readChecked(const std::string& itemKey, const std::optional<expr::Condition>& cond, bool returnOldOnFailure,
                   Item& old, bool& hadOld, ApiError& err);
  // The write's condition against the old item (null: none); false with the error when it fails.
  static bool conditionHolds(const std::optional<expr::Condition>& cond, bool returnOldOnFailure, const Item* old,
                             ApiError& err);
  // Reads of many items (ops_query.cc).
  bool query(const Doc&, Out&, ApiError&);
  bool scan(const Doc&, Out&, ApiError&);
  bool readPage(TableState& st, const ReadSpec& spec, Out& out, ApiError& err);
  // Batches and transactions (ops_batch.cc, ops_transact.cc).
  bool batchGetItem(const Doc&, Out&, ApiError&);
  bool batchWriteItem(const Doc&, Out&, ApiError&);
  bool transactWriteItems(const Doc&, Out&, ApiError&);
  bool transactGetItems(const Doc&, Out&, ApiError&);
  // PartiQL (partiql/ops.cc); PartiqlRunner runs its statements on the members below.
  bool executeStatement(const Doc&, Out&, ApiError&);
  bool batchExecuteStatement(const Doc&, Out&, ApiError&);
  bool executeTransaction(const Doc&, Out&, ApiError&);
  friend class PartiqlRunner;
  // DynamoDB Streams on the same endpoint (ops_streams.cc), target prefix DynamoDBStreams_20120810.
  bool listStreams(const Doc&, Out&, ApiError&);
  bool describeStream(const Doc&, Out&, ApiError&);
  bool getShardIterator(const Doc&, Out&, ApiError&);
  bool getRecords(const Doc&, Out&, ApiError&);
  Op findStreamsOp(std::string_view name) const;
  // The table whose stream `arn` names (ResourceNotFoundException otherwise).
  TableStatePtr requireStream(std::string_view arn, ApiError& err);

  // Shared helpers.
  TableStatePtr requireTable(const rapidjson::Value& d, ApiError& err, const char* member = "TableName");
  TableStatePtr requireTableNamed(std::string_view name, ApiError& err);
  // Every table operation takes a table's ARN in place of its name: the name an ARN of this
  // store's region and account names, or `nameOrArn` unchanged when it is no table ARN (its
  // name checks then answer). Nullopt with ownTableArn's error for another region's or account's.
  std::optional<std::string> tableNameOf(std::string_view nameOrArn, ApiError& err) const;
  // Whether a table ARN (`text`, parsed as `arn`) is this store's: another region's is DynamoDB's
  // ValidationException "Invalid AWS region in '<arn>'"; another account's, which no resource
  // policy here opens to the caller, its AccessDeniedException naming the IAM action.
  bool ownTableArn(const TableArn& arn, std::string_view text, ApiError& err) const;
 public:
  // The IAM action the requests on this thread are authorised as, for AccessDeniedException:
  // the operation's name, or a transaction action's own (TransactWriteItems' Put is
  // dynamodb:PutItem). Set for the scope of one request or one transaction action.
  class IamAction {
   public:
    explicit IamAction(std::string_view action);
    ~IamAction();
    IamAction(const IamAction&) = delete;
    IamAction& operator=(const IamAction&) = delete;
    static std::string_view current();

   private:
    std::string_view previous_;
  };

 private:
  // tableNameOf, the name's constraints (reported at `field`), then requireTableNamed.
  TableStatePtr requireTableNamedOrArn(std::string_view nameOrArn, std::string_view field, ApiError& err);
  // The table a tagging request's ResourceArn names (ops_tables.cc).
  TableStatePtr requireTableByArn(const rapidjson::Value& d, ApiError& err);
  bool readItem(const std::string& key, Item* item, const rocksdb::Snapshot* snap = nullptr) const;
  bool writeBatch(rocksdb::WriteBatch& batch, Out& out, ApiError& err);
  // Index backfill / drop (ops_tables.cc).
  void backfillIndex(const TableStatePtr& st, const IndexDesc& index);
  // Throughput (ops_throughput.cc): admit a read or write of `estimate` units on a PROVISIONED
  // table, or on an on-demand one with a MaxRead/WriteRequestUnits, or say capacityExceeded;
  // `charge` adds what the request really cost beyond its estimate. Both do nothing unless
  // --enforce-throughput.
  // A read of a global index (`readIndex`) on an on-demand table draws on that index's maximum
  // instead of the table's. A write is refused while a global index with a maximum holds less than
  // a write unit: DynamoDB throttles a table's writes that its indexes cannot take.
  enum class CapacityKind { Read, Write };
  bool admitCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double estimate, ApiError& err,
                     const IndexDesc* readIndex = nullptr);
  bool admitCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double estimate);
  void chargeCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double extra,
                      const IndexDesc* readIndex = nullptr);
  // A write's charge beyond its estimate (`tableExtra`) plus what its index entries cost: local
  // indexes on the table's bucket, global ones with an on-demand maximum on their own.
  void chargeWrite(TableState& st, const TableDesc& desc, double tableExtra, const WriteDelta& d);
  // The refusal of a request `desc`'s capacity (or on-demand maximum) of `kind` cannot take now.
  ApiError capacityExceeded(const TableDesc& desc, CapacityKind kind) const;
  // With --enforce-throughput: a PROVISIONED table, or an on-demand one with a maximum on
  // itself or a global index (hasOnDemandMaximum, table.h).
  bool throttles(const TableDesc& desc) const {
    return options_.enforceThroughput && (!desc.payPerRequest || hasOnDemandMaximum(desc));
  }
  // Persists a changed table description (its metadata record) and publishes it to data-plane
  // requests: what every control-plane change but CreateTable ends with.
  bool publishSchema(TableState& st, const TableDesc& t, Out& out, ApiError& err);
  void ttlLoop();
  double nowSeconds() const { return static_cast<double>(clock_.wallSeconds()); }

  Engine& engine_;
  ServiceOptions options_;
  const Clock& clock_;
  Catalog catalog_;
  LockStripes locks_;
  std::thread sweeper_;
  std::mutex sweeperMu_;
  std::condition_variable sweeperCv_;
  bool stopping_ = false;
  std::atomic<uint64_t> requestCounter_{0};
  friend struct ServiceTestPeer;
};

}  // namespace cdnlab::store
