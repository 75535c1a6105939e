// DynamoDB Streams records in the engine: written by appendItemWrite in the same WriteBatch as
// the item (so a record exists exactly when its write does), keyed per table in sequence order:
//   's' tableId(u32 BE) seq(u64 BE)  ->  createdMs(u64 BE) eventName('I'|'M'|'R') byService('0'|'1')
//                                         then the record's "dynamodb" object as JSON
// Sequence numbers are per table, dense, advanced while the writer holds the item's lock, so the
// records of one key are in write order. Retention (24 h by default, ServiceOptions) is trimmed by
// the Service's sweeper, which records how far it trimmed (the trim horizon) under
//   'h' tableId(u32 BE)  ->  the highest trimmed sequence number (u64 BE)
// so that an iterator or sequence number before the horizon is refused after a restart too, and
// sequence numbers keep counting even when every record was trimmed.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "origin/store/table.h"

namespace cdnlab::store::streams {

std::string streamPrefix(uint32_t tableId);
std::string streamKey(uint32_t tableId, uint64_t seq);
uint64_t sequenceOfKey(std::string_view key);  // the seq of a streamKey

// DynamoDB's sequence numbers are decimal strings of 21 to 40 digits.
std::string formatSequenceNumber(uint64_t seq);
std::optional<uint64_t> parseSequenceNumber(std::string_view text);

// Appends the record of replacing oldItem by newItem (no record when nothing changed).
void appendStreamRecord(rocksdb::WriteBatch& batch, const TableDesc& t, const Item* oldItem, const Item* newItem,
                        bool byService);

struct StoredRecord {
  int64_t createdMs = 0;
  char eventName = 'I';
  bool byService = false;
  std::string_view dynamodbJson;
};
std::optional<StoredRecord> decodeRecord(std::string_view value);

// The highest sequence number stored for the table (0: none).
uint64_t lastSequence(rocksdb::DB* db, uint32_t tableId);

// The trim horizon's key, its value for a sequence number, and the stored horizon (0: nothing trimmed).
std::string trimHorizonKey(uint32_t tableId);
std::string encodeTrimHorizon(uint64_t trimmedThrough);
uint64_t trimmedThrough(rocksdb::DB* db, uint32_t tableId);

// The stream's label: its creation time, "2026-12-01T01:16:05.123".
std::string makeLabel(int64_t epochMs);
int64_t nowEpochMs();

}  // namespace cdnlab::store::streams
