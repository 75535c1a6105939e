// Table metadata: what CreateTable / UpdateTable declare (keys, indexes, billing, TTL, tags) and
// the live counters DescribeTable reports. A TableDesc is immutable once published: a control-plane
// change builds a new one and swaps the pointer (Catalog), so data-plane requests read a
// consistent schema without locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "origin/store/expr/expr.h"
#include "origin/store/json_out.h"

namespace cdnlab::store {

enum class ProjectionType { KeysOnly, Include, All };

// What DescribeTable reports about a ProvisionedThroughput's changes: LastIncreaseDateTime,
// LastDecreaseDateTime (epoch seconds, 0: never) and NumberOfDecreasesToday (UTC day).
struct ThroughputHistory {
  double lastIncrease = 0;
  double lastDecrease = 0;
  int64_t decreaseDay = 0;  // epoch day the count below belongs to
  int64_t decreases = 0;

  // Records a change from (r0, w0) to (r1, w1) at `now`: an increase of either, a decrease of either.
  void record(int64_t r0, int64_t w0, int64_t r1, int64_t w1, double now);
  int64_t decreasesOn(double now) const;
};

struct IndexDesc {
  std::string name;
  uint32_t id = 0;      // unique within the table; part of the index's RocksDB key prefix
  bool global = false;  // GSI (own partition key) or LSI (the table's partition key)
  expr::KeySchema key;
  ProjectionType projection = ProjectionType::All;
  std::vector<std::string> nonKeyAttributes;  // INCLUDE
  std::string status = "ACTIVE";              // CREATING while a backfill runs, then ACTIVE
  int64_t readCapacity = 0;
  int64_t writeCapacity = 0;
  ThroughputHistory throughputHistory;
  // A global index's OnDemandThroughput, as TableDesc's.
  int64_t maxReadRequestUnits = 0;
  int64_t maxWriteRequestUnits = 0;
};

struct TableDesc {
  std::string name;
  uint32_t id = 0;
  std::string tableId;  // the UUID DescribeTable reports
  expr::KeySchema key;
  std::vector<std::pair<std::string, ValueType>> attributeDefinitions;
  std::vector<IndexDesc> indexes;  // LSIs and GSIs
  bool payPerRequest = false;
  int64_t readCapacity = 0;
  int64_t writeCapacity = 0;
  ThroughputHistory throughputHistory;
  double payPerRequestSince = 0;  // LastUpdateToPayPerRequestDateTime (0: never on demand)
  bool billingModeChanged = false;  // a PROVISIONED table reports its BillingModeSummary once switched
  std::string tableClass;           // empty: never given (no TableClassSummary)
  double tableClassSince = 0;       // TableClassSummary's LastUpdateDateTime
  bool deletionProtection = false;
  // Server-side encryption: false is the AWS-owned key (DescribeTable shows no SSEDescription);
  // true a KMS key, the account's AWS-managed one unless sseKmsKey names another (as given: a key
  // id, key ARN, alias name or alias ARN).
  bool sseKms = false;
  std::string sseKmsKey;
  // Only in UpdateTable's answer to a change of key: SSEDescription's Status is UPDATING, with the
  // key being left when encryption goes back to the AWS-owned key. Never stored.
  bool sseUpdating = false;
  // OnDemandThroughput's maxima: 0 while never given (DescribeTable leaves the member out), -1
  // for no maximum.
  int64_t maxReadRequestUnits = 0;
  int64_t maxWriteRequestUnits = 0;
  double creationTime = 0;  // epoch seconds
  bool ttlEnabled = false;
  std::string ttlAttribute;
  std::vector<std::pair<std::string, std::string>> tags;  // in insertion order
  uint32_t nextIndexId = 1;
  // DynamoDB Streams (streams/): whether the table writes stream records, their view type
  // (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES) and the stream's label (its creation
  // time, ISO 8601; empty when the table never had a stream). A disabled stream keeps its label.
  bool streamEnabled = false;
  bool pitrEnabled = false;  // UpdateContinuousBackups' PointInTimeRecoveryEnabled
  std::string streamViewType;
  std::string streamLabel;
  // The table's last stream sequence number: shared by every version of the desc (UpdateTable
  // copies the pointer), advanced by appendItemWrite, recovered from the records at load.
  std::shared_ptr<std::atomic<uint64_t>> streamSeq = std::make_shared<std::atomic<uint64_t>>(0);
  // The highest sequence number retention has trimmed (0: none): reading at or before it is a
  // TrimmedDataAccessException. Shared like streamSeq, recovered from the stored horizon at load.
  std::shared_ptr<std::atomic<uint64_t>> streamTrimmed = std::make_shared<std::atomic<uint64_t>>(0);

  bool hasRange() const { return key.hasRange(); }
  const IndexDesc* findIndex(std::string_view indexName) const;
};

using TableDescPtr = std::shared_ptr<const TableDesc>;

// Live counters of a table and its indexes (DescribeTable's ItemCount / TableSizeBytes /
// IndexSizeBytes). Kept in memory, rebuilt by a scan at open (DynamoDB itself only refreshes
// these every ~6 hours, so exactness is a bonus, not a contract).
struct TableStats {
  std::atomic<int64_t> items{0};
  std::atomic<int64_t> bytes{0};
  static constexpr int kMaxIndexes = 64;
  std::atomic<int64_t> indexItems[kMaxIndexes] = {};
  std::atomic<int64_t> indexBytes[kMaxIndexes] = {};
};

// Serialisation of a TableDesc for its metadata record.
std::string encodeTable(const TableDesc& t);
Result<TableDesc> decodeTable(std::string_view json);

// The TableDescription object (DescribeTable's "Table", CreateTable's "TableDescription", ...).
// `status` overrides the table status (CREATING in CreateTable's answer, DELETING in DeleteTable's).
// `nowSeconds` dates NumberOfDecreasesToday.
void writeTableDescription(const TableDesc& t, const TableStats* stats, std::string_view status, double nowSeconds,
                           const std::string& region, JsonWriter& w);
// DeleteTable's TableDescription: AWS leaves out the schema (AttributeDefinitions, KeySchema, the
// indexes) and CreationDateTime, and keeps the rest.
void writeDeletedTableDescription(const TableDesc& t, const TableStats* stats, double nowSeconds,
                                  const std::string& region, JsonWriter& w);

// A KeySchema array ([{AttributeName, KeyType: HASH}.., {.., RANGE}..], in the order created), as
// DescribeTable and DescribeStream answer it.
void writeKeySchema(const expr::KeySchema& k, JsonWriter& w);

// The account every ARN of this store names (DynamoDB Local's too).
inline constexpr std::string_view kAccountId = "000000000000";
// Whether an on-demand table or one of its global indexes has a MaxRead/WriteRequestUnits.
bool hasOnDemandMaximum(const TableDesc& t);
std::string tableArn(const std::string& region, const std::string& table);
// SSEDescription's KMSMasterKeyArn for a KMS key given as a key id, ARN or alias (empty: the
// account's AWS-managed key).
std::string kmsKeyArn(const std::string& region, const std::string& keyId);
std::string streamArn(const std::string& region, const TableDesc& t);

}  // namespace cdnlab::store
