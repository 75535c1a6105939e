// From items to RocksDB records: the item's key under the table prefix, its entries in each
// secondary index, the attributes an index projects, and the key checks with DynamoDB's wording.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rocksdb/write_batch.h>

#include "origin/store/api_error.h"
#include "origin/store/key_codec.h"
#include "origin/store/table.h"

namespace cdnlab::store {

// How the message for an empty string or binary as a table key value begins (a request error
// even inside a transaction, where other key errors cancel it).
inline constexpr std::string_view kEmptyKeyValuePrefix =
    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ";

// Validates that `key` holds exactly the table's key attributes with the declared types
// ("The provided key element does not match the schema") and returns the encoded item key.
Result<std::string> encodeKeyMap(const TableDesc& t, const Item& key, ApiError* err);

// Validates an item for PutItem (key attributes present, typed, not empty, within size limits;
// index keys typed) and returns the encoded item key.
Result<std::string> encodeItemKey(const TableDesc& t, const Item& item, ApiError* err);

// The encoded key of an item that is known to be valid (read back from storage).
std::string storedItemKey(const TableDesc& t, const Item& item);

// The index entry key of `item` in `index`, or nullopt when the item lacks the index's key
// attributes (indexes are sparse) or has them with another type.
std::optional<std::string> indexEntryKey(const TableDesc& t, const IndexDesc& index, const Item& item);

// The attributes `index` keeps of `item` (table key + index key + projection).
Item projectForIndex(const TableDesc& t, const IndexDesc& index, const Item& item);

// Just the key attributes of the table (and of `index`, when given).
Item keyOf(const TableDesc& t, const IndexDesc* index, const Item& item);

Result<KeyValue> keyValueOf(const AttributeValue& v);

// Sizes that feed the counters: the item record, and each index entry.
struct WriteDelta {
  int64_t items = 0;
  int64_t bytes = 0;
  int64_t indexItems[TableStats::kMaxIndexes] = {};
  int64_t indexBytes[TableStats::kMaxIndexes] = {};
  // Write capacity units each index's entry changes cost, by slot (id % kMaxIndexes), as
  // DynamoDB charges them: a new or removed entry one write, a changed projection under the same
  // key one write, a changed index key two (the old entry's delete and the new one's put), each
  // per 1 KB of the entry; an entry the write leaves as it was costs nothing.
  double indexUnits[TableStats::kMaxIndexes] = {};
};

// Appends to `batch` what replacing `oldItem` by `newItem` (either may be null) takes: the table
// record and every index entry that changes, so the table and its indexes move in one atomic batch.
// On a table with an enabled stream the stream record goes in the same batch; `byService` marks a
// deletion by the TTL sweeper (the record's userIdentity).
void appendItemWrite(rocksdb::WriteBatch& batch, const TableDesc& t, const std::string& itemKey,
                     const Item* oldItem, const Item* newItem, WriteDelta* delta, bool byService = false);

void applyDelta(TableStats& stats, const WriteDelta& d);

}  // namespace cdnlab::store
