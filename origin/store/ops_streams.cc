// DynamoDB Streams on the store's endpoint (X-Amz-Target DynamoDBStreams_20120810.*): ListStreams,
// DescribeStream, GetShardIterator, GetRecords. Each table's stream is one shard; records live in
// the engine next to the items (streams/records.h). A shard iterator is the stream's ARN and an
// opaque part holding the next sequence number, so it survives a restart.
#include <rocksdb/iterator.h>

#include "origin/store/json_out.h"
#include "origin/store/key_codec.h"
#include "origin/store/model/base64.h"
#include "origin/store/request_util.h"
#include "origin/store/service.h"
#include "origin/store/streams/records.h"

namespace cdnlab::store {
namespace {

// A record after a gap in the sequence is held back for this long: the gap may be a write whose
// batch is not in the memtable yet (sequence numbers are taken before the batch is applied).
constexpr int64_t kGapGraceMs = 5000;

uint32_t fnv32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

std::string shardIdOf(const TableDesc& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "shardId-%020u-%08x", t.id, fnv32(t.streamLabel));
  return buf;
}

std::string eventId(const TableDesc& t, uint64_t seq) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x%016llx%08x", t.id, static_cast<unsigned long long>(seq), fnv32(t.streamLabel));
  return buf;
}

// "A shard iterator expires 15 minutes after it is retrieved": each carries the second it was
// issued (a NextShardIterator is a new iterator, issued by that GetRecords).
constexpr int64_t kIteratorLifetimeSeconds = 15 * 60;

ApiError trimmedDataAccess() {
  return dynamoError("TrimmedDataAccessException", "The data you are trying to access has been trimmed.");
}

// DynamoDB's iterators are "<stream ARN>|1|<opaque>" (clients and tools match that form); the
// opaque part holds the next sequence number and the second the iterator was issued.
std::string makeIterator(const std::string& streamArn, uint64_t seq, int64_t issuedSeconds) {
  return streamArn + "|1|" + base64Encode(std::to_string(seq) + "|" + std::to_string(issuedSeconds));
}

struct Iterator {
  std::string table, label;
  uint64_t seq = 0;
  uint64_t issuedSeconds = 0;
};

std::optional<uint64_t> parseDecimal(std::string_view num) {
  if (num.empty() || num.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : num) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// "arn:...:table/<name>/stream/<label>|1|base64(seq|issued)" (names and labels cannot hold '|').
std::optional<Iterator> parseIterator(std::string_view token) {
  auto bar = token.find('|');
  if (bar == std::string_view::npos || token.substr(bar, 3) != "|1|") return std::nullopt;
  std::string_view arn = token.substr(0, bar);
  auto t = arn.find(":table/");
  auto s = arn.find("/stream/");
  if (!arn.starts_with("arn:") || t == std::string_view::npos || s == std::string_view::npos || s <= t + 7 ||
      s + 8 >= arn.size())
    return std::nullopt;
  auto raw = base64Decode(token.substr(bar + 3));
  if (!raw) return std::nullopt;
  std::string_view p(*raw);
  auto sep = p.find('|');
  if (sep == std::string_view::npos) return std::nullopt;
  auto seq = parseDecimal(p.substr(0, sep));
  auto issued = parseDecimal(p.substr(sep + 1));
  if (!seq || !issued) return std::nullopt;
  return Iterator{std::string(arn.substr(t + 7, s - t - 7)), std::string(arn.substr(s + 8)), *seq, *issued};
}

uint64_t firstSequence(rocksdb::DB* db, uint32_t tableId) {
  std::string lo = streams::streamPrefix(tableId), hi = prefixSuccessor(lo);
  rocksdb::Slice l(lo), h(hi);
  rocksdb::ReadOptions ro;
  ro.iterate_lower_bound = &l;
  ro.iterate_upper_bound = &h;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
  it->SeekToFirst();
  return it->Valid() ? streams::sequenceOfKey(it->key().ToStringView()) : 0;
}

// The sequence number the shard starts at: below every record it holds, as a DynamoDB shard's
// StartingSequenceNumber is (the first record is numbered after it).
uint64_t shardStart(rocksdb::DB* db, const TableDesc& t) {
  uint64_t first = firstSequence(db, t.id);
  return first ? first - 1 : t.streamSeq->load();
}

}  // namespace

Service::Op Service::findStreamsOp(std::string_view name) const {
  if (name == "ListStreams") return &Service::listStreams;
  if (name == "DescribeStream") return &Service::describeStream;
  if (name == "GetShardIterator") return &Service::getShardIterator;
  if (name == "GetRecords") return &Service::getRecords;
  return nullptr;
}

// Whether `arn` has a stream ARN's form: arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>.
static bool looksLikeStreamArn(std::string_view arn) {
  auto t = arn.find(":table/");
  auto s = arn.find("/stream/");
  return arn.starts_with("arn:") && t != std::string_view::npos && s != std::string_view::npos && s > t + 7 &&
         s + 8 < arn.size();
}

TableStatePtr Service::requireStream(std::string_view arn, ApiError& err) {
  // DynamoDB Streams refuses a StreamArn that is not a stream ARN at all (ValidationException) before
  // it looks the stream up (ResourceNotFoundException).
  if (!looksLikeStreamArn(arn)) {
    err = validation("Invalid StreamArn");
    return nullptr;
  }
  auto t = arn.find(":table/");
  auto s = arn.find("/stream/");
  {
    std::string_view name = arn.substr(t + 7, s - t - 7);
    std::string_view label = arn.substr(s + 8);
    auto st = catalog_.find(name);
    if (st && !st->deleted.load() && st->schema()->streamLabel == label && !label.empty()) return st;
  }
  err = resourceNotFound("Requested resource not found: Stream: " + std::string(arn) + " not found");
  return nullptr;
}

bool Service::listStreams(const Doc& d, Out& out, ApiError& err) {
  auto tableName = stringMember(d, "TableName", err);
  auto start = stringMember(d, "ExclusiveStartStreamArn", err);
  if (!err.type.empty()) return false;
  if (start && !looksLikeStreamArn(*start)) {
    err = validation("Invalid StreamArn");
    return false;
  }
  const auto* l = member(d, "Limit");
  int64_t limit = l && l->IsNumber() ? static_cast<int64_t>(l->GetDouble()) : 100;
  if (tableName && !requireTableNamed(*tableName, err)) return false;
  out.w.StartObject();
  key(out.w, "Streams");
  out.w.StartArray();
  int64_t n = 0;
  std::string last;
  bool more = false, started = !start;
  for (const auto& st : catalog_.tables()) {
    auto t = st->schema();
    if (st->deleted.load() || t->streamLabel.empty() || (tableName && t->name != *tableName)) continue;
    std::string arn = streamArn(options_.region, *t);
    if (!started) {
      if (arn == *start) started = true;
      continue;
    }
    if (n == limit) {
      more = true;
      break;
    }
    out.w.StartObject();
    kv(out.w, "StreamArn", arn);
    kv(out.w, "TableName", t->name);
    kv(out.w, "StreamLabel", t->streamLabel);
    out.w.EndObject();
    last = arn;
    ++n;
  }
  out.w.EndArray();
  if (more) kv(out.w, "LastEvaluatedStreamArn", last);
  out.w.EndObject();
  return true;
}

bool Service::describeStream(const Doc& d, Out& out, ApiError& err) {
  auto arn = stringMember(d, "StreamArn", err);
  if (!err.type.empty() || !arn) return false;
  auto st = requireStream(*arn, err);
  if (!st) return false;
  auto t = st->schema();
  auto start = stringMember(d, "ExclusiveStartShardId", err);
  std::string shard = shardIdOf(*t);
  out.w.StartObject();
  key(out.w, "StreamDescription");
  out.w.StartObject();
  kv(out.w, "StreamArn", *arn);
  kv(out.w, "StreamLabel", t->streamLabel);
  kv(out.w, "StreamStatus", t->streamEnabled ? "ENABLED" : "DISABLED");
  kv(out.w, "StreamViewType", t->streamViewType);
  key(out.w, "CreationRequestDateTime");
  out.w.Double(t->creationTime);
  kv(out.w, "TableName", t->name);
  key(out.w, "KeySchema");
  writeKeySchema(t->key, out.w);
  key(out.w, "Shards");
  out.w.StartArray();
  // Shards come in ShardId order and ExclusiveStartShardId need not name a shard: the page holds
  // the shards whose id sorts after it.
  if (!start || shard > *start) {
    out.w.StartObject();
    kv(out.w, "ShardId", shard);
    key(out.w, "SequenceNumberRange");
    out.w.StartObject();
    kv(out.w, "StartingSequenceNumber", streams::formatSequenceNumber(shardStart(engine_.db(), *t)));
    if (!t->streamEnabled) kv(out.w, "EndingSequenceNumber", streams::formatSequenceNumber(t->streamSeq->load()));
    out.w.EndObject();
    out.w.EndObject();
  }
  out.w.EndArray();
  out.w.EndObject();
  out.w.EndObject();
  return true;
}

bool Service::getShardIterator(const Doc& d, Out& out, ApiError& err) {
  auto arn = stringMember(d, "StreamArn", err);
  auto shard = stringMember(d, "ShardId", err);
  auto type = stringMember(d, "ShardIteratorType", err);
  auto seqText = stringMember(d, "SequenceNumber", err);
  if (!err.type.empty() || !arn || !shard || !type) return false;
  bool needsSeq = *type == "AT_SEQUENCE_NUMBER" || *type == "AFTER_SEQUENCE_NUMBER";
  std::optional<uint64_t> seq;
  if (needsSeq) {
    if (!seqText) {
      err = validation("SequenceNumber is required when ShardIteratorType is " + std::string(*type));
      return false;
    }
    seq = streams::parseSequenceNumber(*seqText);
    if (!seq) {
      err = validation("Invalid SequenceNumber: " + std::string(*seqText));
      return false;
    }
  } else if (seqText) {
    err = validation("SequenceNumber can only be specified when ShardIteratorType is AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER");
    return false;
  }
  auto st = requireStream(*arn, err);
  if (!st) return false;
  auto t = st->schema();
  if (*shard != shardIdOf(*t)) {
    err = resourceNotFound("Requested resource not found: Shard does not exist");
    return false;
  }
  // The shard's StartingSequenceNumber names no record: reading at or after it starts at the
  // shard's first record. Any other sequence number at or before the trim horizon names a record
  // retention has removed. (Sequence numbers are dense: once retention trimmed every record, the
  // empty shard starts at the last trimmed record's number, which stays refused.)
  uint64_t trimmed = t->streamTrimmed->load();
  uint64_t start = shardStart(engine_.db(), *t);
  bool atStart = seq && *seq == start && (firstSequence(engine_.db(), t->id) != 0 || start > trimmed);
  if (seq && !atStart && trimmed > 0 && *seq <= trimmed) {
    err = trimmedDataAccess();
    return false;
  }
  uint64_t next = 0;  // 0: TRIM_HORIZON, whatever the oldest record is when it is read
  if (*type == "LATEST") next = t->streamSeq->load() + 1;
  else if (atStart) next = start + 1;
  else if (*type == "AT_SEQUENCE_NUMBER") next = *seq;
  else if (*type == "AFTER_SEQUENCE_NUMBER") next = *seq + 1;
  out.w.StartObject();
  kv(out.w, "ShardIterator", makeIterator(streamArn(options_.region, *t), next, static_cast<int64_t>(clock_.wallSeconds())));
  out.w.EndObject();
  return true;
}

bool Service::getRecords(const Doc& d, Out& out, ApiError& err) {
  auto token = stringMember(d, "ShardIterator", err);
  if (!err.type.empty() || !token) return false;
  const auto* l = member(d, "Limit");
  int64_t limit = l && l->IsNumber() ? static_cast<int64_t>(l->GetDouble()) : 1000;
  auto it = parseIterator(*token);
  if (!it) {
    err = validation("Invalid ShardIterator");
    return false;
  }
  int64_t nowSeconds = static_cast<int64_t>(clock_.wallSeconds());
  if (nowSeconds - static_cast<int64_t>(it->issuedSeconds) > kIteratorLifetimeSeconds) {
    err = dynamoError("ExpiredIteratorException", "Shard iterator has expired");
    return false;
  }
  auto st = catalog_.find(it->table);
  if (!st || st->deleted.load() || st->schema()->streamLabel != it->label) {
    err = resourceNotFound("Requested resource not found: Shard does not exist");
    return false;
  }
  auto t = st->schema();
  // An iterator whose next record was trimmed after it was issued (TRIM_HORIZON's never is).
  if (it->seq != 0 && it->seq <= t->streamTrimmed->load()) {
    err = trimmedDataAccess();
    return false;
  }
  std::string lo = streams::streamKey(t->id, it->seq), hi = prefixSuccessor(streams::streamPrefix(t->id));
  rocksdb::Slice ls(lo), hs(hi);
  rocksdb::ReadOptions ro;
  ro.iterate_lower_bound = &ls;
  ro.iterate_upper_bound = &hs;
  std::unique_ptr<rocksdb::Iterator> r(engine_.db()->NewIterator(ro));
  int64_t now = streams::nowEpochMs();
  uint64_t next = it->seq;
  bool first = true;
  int64_t n = 0;
  size_t bytes = 0;
  out.w.StartObject();
  key(out.w, "Records");
  out.w.StartArray();
  for (r->SeekToFirst(); r->Valid() && n < limit && bytes < 1024 * 1024; r->Next()) {
    uint64_t seq = streams::sequenceOfKey(r->key().ToStringView());
    auto rec = streams::decodeRecord(r->value().ToStringView());
    if (!rec) continue;
    // A gap may be a write still in flight: wait for it unless it is long overdue (or lies before
    // the first record, where retention trimmed it).
    if (seq != next && !(first && it->seq == 0) && now - rec->createdMs < kGapGraceMs) break;
    first = false;
    out.w.StartObject();
    kv(out.w, "eventID", eventId(*t, seq));
    kv(out.w, "eventName", rec->eventName == 'I' ? "INSERT" : rec->eventName == 'M' ? "MODIFY" : "REMOVE");
    kv(out.w, "eventVersion", "1.1");
    kv(out.w, "eventSource", "aws:dynamodb");
    kv(out.w, "awsRegion", options_.region);
    key(out.w, "dynamodb");
    rawValue(out.w, out.sb, rec->dynamodbJson, rapidjson::kObjectType);
    if (rec->byService) {
      key(out.w, "userIdentity");
      out.w.StartObject();
      kv(out.w, "PrincipalId", "dynamodb.amazonaws.com");  // the Streams API's Identity members
      kv(out.w, "Type", "Service");
      out.w.EndObject();
    }
    out.w.EndObject();
    next = seq + 1;
    bytes += rec->dynamodbJson.size();
    ++n;
  }
  out.w.EndArray();
  // A disabled stream's shard is closed: once read to its end there is no next iterator.
  bool closed = !t->streamEnabled && next > t->streamSeq->load();
  if (!closed) kv(out.w, "NextShardIterator", makeIterator(streamArn(options_.region, *t), next, nowSeconds));
  out.w.EndObject();
  return true;
}

size_t Service::trimStreams(int64_t nowMs) {
  size_t trimmed = 0;
  for (const auto& st : catalog_.tables()) {
    auto t = st->schema();
    if (t->streamLabel.empty()) continue;
    std::string lo = streams::streamPrefix(t->id), hi = prefixSuccessor(lo);
    rocksdb::Slice ls(lo), hs(hi);
    rocksdb::ReadOptions ro;
    ro.iterate_lower_bound = &ls;
    ro.iterate_upper_bound = &hs;
    std::unique_ptr<rocksdb::Iterator> r(engine_.db()->NewIterator(ro));
    std::string keep;
    uint64_t lastTrimmed = 0;
    size_t n = 0;
    for (r->SeekToFirst(); r->Valid(); r->Next()) {
      auto rec = streams::decodeRecord(r->value().ToStringView());
      if (rec && rec->createdMs >= nowMs - options_.streamRetentionMs) {
        keep = r->key().ToString();
        break;
      }
      lastTrimmed = streams::sequenceOfKey(r->key().ToStringView());
      ++n;
    }
    if (!n) continue;
    // The records and the horizon that refuses reads before them go in one batch.
    rocksdb::WriteBatch b;
    b.DeleteRange(lo, keep.empty() ? hi : keep);
    b.Put(streams::trimHorizonKey(t->id), streams::encodeTrimHorizon(lastTrimmed));
    if (engine_.write(b)) {
      uint64_t seen = t->streamTrimmed->load();
      while (seen < lastTrimmed && !t->streamTrimmed->compare_exchange_weak(seen, lastTrimmed)) {
      }
      trimmed += n;
    }
  }
  return trimmed;
}

}  // namespace cdnlab::store
