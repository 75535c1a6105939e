// Stream record encoding (see records.h).
#include "origin/store/streams/records.h"

#include <rocksdb/iterator.h>

#include <chrono>
#include <ctime>

#include "origin/store/item_codec.h"
#include "origin/store/json_out.h"
#include "origin/store/key_codec.h"
#include "origin/store/model/json.h"
#include "origin/store/model/size.h"

namespace cdnlab::store::streams {
namespace {

void appendU64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

uint64_t readU64(std::string_view s) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}

}  // namespace

int64_t nowEpochMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string streamPrefix(uint32_t tableId) {
  std::string k(1, 's');
  appendU32(k, tableId);
  return k;
}

std::string streamKey(uint32_t tableId, uint64_t seq) {
  std::string k = streamPrefix(tableId);
  appendU64(k, seq);
  return k;
}

uint64_t sequenceOfKey(std::string_view key) { return key.size() >= 13 ? readU64(key.substr(5)) : 0; }

std::string formatSequenceNumber(uint64_t seq) {
  std::string digits = std::to_string(seq);
  return std::string(digits.size() < 21 ? 21 - digits.size() : 0, '0') + digits;
}

std::optional<uint64_t> parseSequenceNumber(std::string_view text) {
  if (text.size() < 21 || text.size() > 40) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

void appendStreamRecord(rocksdb::WriteBatch& batch, const TableDesc& t, const Item* oldItem, const Item* newItem,
                        bool byService) {
  if (!oldItem && !newItem) return;
  // "If you perform a PutItem or UpdateItem operation that does not change any data in an item,
  // DynamoDB Streams does not write a stream record for that operation."
  if (oldItem && newItem && *oldItem == *newItem) return;
  const Item& any = newItem ? *newItem : *oldItem;
  Item keys = keyOf(t, nullptr, any);
  bool wantNew = newItem && (t.streamViewType == "NEW_IMAGE" || t.streamViewType == "NEW_AND_OLD_IMAGES");
  bool wantOld = oldItem && (t.streamViewType == "OLD_IMAGE" || t.streamViewType == "NEW_AND_OLD_IMAGES");
  size_t size = itemSize(keys) + (wantNew ? itemSize(*newItem) : 0) + (wantOld ? itemSize(*oldItem) : 0);
  uint64_t seq = t.streamSeq->fetch_add(1) + 1;
  int64_t ms = nowEpochMs();
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  key(w, "ApproximateCreationDateTime");
  w.Int64(ms / 1000);
  key(w, "Keys");
  writeAttributeMap(keys, w);
  if (wantNew) {
    key(w, "NewImage");
    writeAttributeMap(*newItem, w);
  }
  if (wantOld) {
    key(w, "OldImage");
    writeAttributeMap(*oldItem, w);
  }
  kv(w, "SequenceNumber", formatSequenceNumber(seq));
  key(w, "SizeBytes");
  w.Uint64(size);
  kv(w, "StreamViewType", t.streamViewType);
  w.EndObject();
  std::string value;
  appendU64(value, static_cast<uint64_t>(ms));
  value.push_back(!oldItem ? 'I' : !newItem ? 'R' : 'M');
  value.push_back(byService ? '1' : '0');
  value.append(sb.GetString(), sb.GetSize());
  batch.Put(streamKey(t.id, seq), value);
}

std::optional<StoredRecord> decodeRecord(std::string_view value) {
  if (value.size() < 10) return std::nullopt;
  StoredRecord r;
  r.createdMs = static_cast<int64_t>(readU64(value));
  r.eventName = value[8];
  r.byService = value[9] == '1';
  r.dynamodbJson = value.substr(10);
  return r;
}

uint64_t lastSequence(rocksdb::DB* db, uint32_t tableId) {
  std::string lo = streamPrefix(tableId), hi = prefixSuccessor(lo);
  rocksdb::Slice l(lo), h(hi);
  rocksdb::ReadOptions ro;
  ro.iterate_lower_bound = &l;
  ro.iterate_upper_bound = &h;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
  it->SeekToLast();
  return it->Valid() ? sequenceOfKey(it->key().ToStringView()) : 0;
}

std::string trimHorizonKey(uint32_t tableId) {
  std::string k(1, 'h');
  appendU32(k, tableId);
  return k;
}

std::string encodeTrimHorizon(uint64_t trimmedThrough) {
  std::string v;
  appendU64(v, trimmedThrough);
  return v;
}

uint64_t trimmedThrough(rocksdb::DB* db, uint32_t tableId) {
  std::string v;
  if (!db->Get(rocksdb::ReadOptions(), trimHorizonKey(tableId), &v).ok() || v.size() != 8) return 0;
  return readU64(v);
}

std::string makeLabel(int64_t epochMs) {
  std::time_t secs = static_cast<std::time_t>(epochMs / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(epochMs % 1000));
  return buf;
}

}  // namespace cdnlab::store::streams
