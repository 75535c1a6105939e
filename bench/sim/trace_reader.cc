// The trace readers: one decoder per format feeding a common builder that renumbers objects.
// Semantics follow libCacheSim's readers: oracleGeneral skips zero-size requests
// (ignore_size_zero_req), vSCSI converts its microsecond clock to seconds, text traces have size
// 1 and their ids numbered in order of first appearance, CSV takes the columns it is told.
#include "bench/sim/trace_reader.h"

#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

#include "bench/sim/flat_id_map.h"
#include "common/hash.h"

namespace cdnlab::sim {

namespace {

Error fail(std::string_view name, uint64_t record, const std::string& why) {
  return Error{0, std::string(name) + ": record " + std::to_string(record) + ": " + why};
}

// Collects requests and renumbers objects. With ordinalKeys an object's key is its number in
// order of first appearance, from 1, instead of the identity it was read as.
class Builder {
 public:
  explicit Builder(std::string_view name, size_t expected, bool ordinalKeys = false)
      : ids_(expected / 4 + 16), ordinalKeys_(ordinalKeys) {
    trace_.source = std::string(name);
    trace_.requests.reserve(expected);
  }
  // ttl: the response's freshness lifetime in seconds, when the trace gives one.
  Result<bool> add(uint64_t key, uint64_t size, uint64_t time, uint64_t record,
                   std::optional<uint64_t> ttl = std::nullopt) {
    if (trace_.requests.size() >= Request::kNever - 1)
      return fail(trace_.source, record, "more than 4 billion requests are not supported");
    if (size > UINT32_MAX) return fail(trace_.source, record, "object size " + std::to_string(size) + " exceeds 4 GiB");
    bool added = false;
    uint32_t obj = ids_.findOrAdd(key, uint32_t(trace_.keys.size()), added);
    if (added) {
      trace_.keys.push_back(ordinalKeys_ ? uint64_t(obj) + 1 : key);
      trace_.firstSize.push_back(uint32_t(size));
    }
    if (ttl && !withTtl_) {  // the first TTL: the requests before it never expire
      withTtl_ = true;
      trace_.freshness.assign(trace_.requests.size(), ResponseFreshness{});
    }
    if (withTtl_) {
      ResponseFreshness f;
      if (ttl) f.maxAgeS = uint32_t(std::min<uint64_t>(*ttl, ResponseFreshness::kForever - 1));
      trace_.freshness.push_back(f);
    }
    trace_.requests.push_back(Request{obj, uint32_t(size), uint32_t(std::min<uint64_t>(time, UINT32_MAX)), 0});
    return true;
  }
  size_t count() const { return trace_.requests.size(); }
  Trace finish() {
    trace_.linkNextAccesses();
    return std::move(trace_);
  }

 private:
  Trace trace_;
  FlatIdMap ids_;
  bool ordinalKeys_;
  bool withTtl_ = false;
};

template <typename T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

Result<Trace> parseOracleGeneral(std::string_view b, std::string_view name, uint64_t limit) {
  constexpr size_t kRec = 24;
  Builder out(name, b.size() / kRec);
  for (size_t off = 0, rec = 1; off < b.size(); off += kRec, ++rec) {
    if (b.size() - off < kRec)
      return fail(name, rec, "truncated record (" + std::to_string(b.size() - off) + " of 24 bytes at byte offset " +
                                 std::to_string(off) + ")");
    const char* p = b.data() + off;
    uint32_t time = load<uint32_t>(p);
    uint64_t id = load<uint64_t>(p + 4);
    uint32_t size = load<uint32_t>(p + 12);
    if (size == 0) continue;  // libCacheSim: ignore_size_zero_req
    if (auto ok = out.add(id, size, time, rec); !ok) return ok.error();
    if (limit && out.count() >= limit) break;
  }
  return out.finish();
}

Result<Trace> parseVscsi(std::string_view b, std::string_view name, uint64_t limit) {
  // v1: u32 sn, u32 len, u32 nSG, u16 cmd, u16 ver, u64 lbn, u64 ts        (32 bytes)
  // v2: u16 cmd, u16 ver, u32 sn, u32 len, u32 nSG, u64 lbn, u64 ts, u64 rt (40 bytes)
  // The version is the high byte of `ver`; both of the first two records must agree.
  auto versionAt = [&](size_t rec, size_t verOff) { return load<uint16_t>(b.data() + rec + verOff) >> 8; };
  size_t recSize = 0;
  if (b.size() >= 80 && versionAt(0, 2) == 2 && versionAt(40, 2) == 2) recSize = 40;
  else if (b.size() >= 64 && versionAt(0, 14) == 1 && versionAt(32, 14) == 1) recSize = 32;
  if (!recSize) return fail(name, 1, "not a vSCSI v1 or v2 trace (version field of the first two records)");
  Builder out(name, b.size() / recSize);
  for (size_t off = 0, rec = 1; off < b.size(); off += recSize, ++rec) {
    if (b.size() - off < recSize)
      return fail(name, rec, "truncated record (" + std::to_string(b.size() - off) + " of " +
                                 std::to_string(recSize) + " bytes)");
    const char* p = b.data() + off;
    uint32_t len = recSize == 32 ? load<uint32_t>(p + 4) : load<uint32_t>(p + 8);
    uint64_t lbn = load<uint64_t>(p + (recSize == 32 ? 16 : 16));
    uint64_t ts = load<uint64_t>(p + 24);
    if (auto ok = out.add(lbn, len, ts / 1000000, rec); !ok) return ok.error();
    if (limit && out.count() >= limit) break;
  }
  return out.finish();
}

bool parseU64(std::string_view s, uint64_t& v) {
  if (s.empty() || s.size() > 20) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = uint64_t(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

// Ids: decimal numbers as they are, anything else hashed.
uint64_t idOf(std::string_view s) {
  uint64_t v = 0;
  return parseU64(s, v) ? v : hash64(s);
}

Result<Trace> parseLines(std::string_view b, std::string_view name, const TraceFormat& f, uint64_t limit) {
  const bool csv = f.kind != TraceKind::Txt;
  // A text trace's ids are strings to libCacheSim: cachesim's reader (obj-id-is-num is off
  // unless asked for) turns each line into a GLib quark, numbered from 1 in order of first
  // appearance, and that number is the object id the policies see (W-TinyLFU's sketch hashes
  // it). The key is that number here too.
  Builder out(name, size_t(std::count(b.begin(), b.end(), '\n')) + 1, !csv);
  const int maxCol = std::max({f.timeCol, f.idCol, f.sizeCol});
  std::vector<std::string_view> cols;
  size_t line = 0;
  for (size_t pos = 0; pos < b.size();) {
    size_t nl = b.find('\n', pos);
    std::string_view l = b.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? b.size() : nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (trim(l).empty()) continue;
    if (line == 1 && f.header) continue;
    if (!csv) {
      if (auto ok = out.add(idOf(trim(l)), 1, 0, line); !ok) return ok.error();
    } else {
      cols.clear();
      size_t start = 0;
      while (true) {
        size_t d = l.find(f.delimiter, start);
        cols.push_back(trim(l.substr(start, d == std::string_view::npos ? std::string_view::npos : d - start)));
        if (d == std::string_view::npos) break;
        start = d + 1;
      }
      if (int(cols.size()) < maxCol)
        return fail(name, line, "has " + std::to_string(cols.size()) + " columns, column " + std::to_string(maxCol) +
                                    " is needed");
      // A CDN log may start with its header line: skip a first line whose time is not a number.
      uint64_t time = 0, size = 1;
      if (f.timeCol && !parseU64(cols[size_t(f.timeCol - 1)], time)) {
        if (line == 1 && f.kind == TraceKind::CdnLog) continue;
        return fail(name, line, "time (column " + std::to_string(f.timeCol) + ") '" +
                                    std::string(cols[size_t(f.timeCol - 1)]) + "' is not a whole number");
      }
      if (f.sizeCol && !parseU64(cols[size_t(f.sizeCol - 1)], size))
        return fail(name, line, "size (column " + std::to_string(f.sizeCol) + ") '" +
                                    std::string(cols[size_t(f.sizeCol - 1)]) + "' is not a whole number");
      std::string_view id = cols[size_t(f.idCol - 1)];
      if (id.empty()) return fail(name, line, "object id (column " + std::to_string(f.idCol) + ") is empty");
      // The TTL column is optional per line: absent or empty means the response sets none.
      std::optional<uint64_t> ttl;
      if (f.ttlCol && size_t(f.ttlCol) <= cols.size() && !cols[size_t(f.ttlCol - 1)].empty()) {
        uint64_t v = 0;
        if (!parseU64(cols[size_t(f.ttlCol - 1)], v))
          return fail(name, line, "ttl (column " + std::to_string(f.ttlCol) + ") '" +
                                      std::string(cols[size_t(f.ttlCol - 1)]) + "' is not a whole number of seconds");
        ttl = v;
      }
      // URLs are always hashed (a numeric path is still a URL).
      uint64_t key = f.kind == TraceKind::CdnLog ? hash64(id) : idOf(id);
      if (auto ok = out.add(key, size, time, line, ttl); !ok) return ok.error();
    }
    if (limit && out.count() >= limit) break;
  }
  return out.finish();
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

Result<TraceKind> parseTraceKind(std::string_view name) {
  std::string n = lower(name);
  if (n == "oraclegeneral") return TraceKind::OracleGeneral;
  if (n == "vscsi") return TraceKind::Vscsi;
  if (n == "csv") return TraceKind::Csv;
  if (n == "txt" || n == "text" || n == "plaintxt") return TraceKind::Txt;
  if (n == "cdnlog") return TraceKind::CdnLog;
  return Error{0, "unknown trace format '" + std::string(name) + "' (known: oracleGeneral, vscsi, csv, txt, cdnlog)"};
}

std::string_view traceKindName(TraceKind k) {
  switch (k) {
    case TraceKind::OracleGeneral: return "oracleGeneral";
    case TraceKind::Vscsi: return "vscsi";
    case TraceKind::Csv: return "csv";
    case TraceKind::Txt: return "txt";
    case TraceKind::CdnLog: return "cdnlog";
  }
  return "?";
}

Result<TraceKind> guessTraceKind(std::string_view path) {
  std::string p = lower(path);
  for (const char* z : {".zst", ".zstd"})
    if (p.size() > std::strlen(z) && p.ends_with(z)) p.resize(p.size() - std::strlen(z));
  if (p.find("oraclegeneral") != std::string::npos || p.ends_with(".bin")) return TraceKind::OracleGeneral;
  if (p.ends_with(".vscsi")) return TraceKind::Vscsi;
  if (p.ends_with(".csv")) return TraceKind::Csv;
  if (p.ends_with(".txt")) return TraceKind::Txt;
  return Error{0, std::string(path) + ": cannot tell the trace format from the name; give --format"};
}

Result<std::string> readTraceBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error{0, path + ": cannot open: " + std::strerror(errno)};
  const std::streamoff size = in.tellg();
  if (size < 0) return Error{0, path + ": cannot tell its size"};
  std::string raw(size_t(size), '\0');
  in.seekg(0);
  if (!in.read(raw.data(), size)) return Error{0, path + ": read error"};
  static const unsigned char kMagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
  if (raw.size() < 4 || std::memcmp(raw.data(), kMagic, 4) != 0) return raw;
  // zstd: stream-decompress (frames may not record their content size).
  std::string out;
  ZSTD_DStream* ds = ZSTD_createDStream();
  ZSTD_initDStream(ds);
  ZSTD_inBuffer inBuf{raw.data(), raw.size(), 0};
  std::vector<char> chunk(ZSTD_DStreamOutSize());
  size_t ret = 1;
  while (inBuf.pos < inBuf.size) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    ret = ZSTD_decompressStream(ds, &o, &inBuf);
    if (ZSTD_isError(ret)) {
      std::string why = ZSTD_getErrorName(ret);
      ZSTD_freeDStream(ds);
      return Error{0, path + ": zstd: " + why + " at compressed byte " + std::to_string(inBuf.pos)};
    }
    out.append(chunk.data(), o.pos);
  }
  // Flush what the decoder still holds.
  while (ret != 0) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    ret = ZSTD_decompressStream(ds, &o, &inBuf);
    if (ZSTD_isError(ret) || o.pos == 0) break;
    out.append(chunk.data(), o.pos);
  }
  ZSTD_freeDStream(ds);
  if (ret != 0) return Error{0, path + ": zstd: truncated compressed stream"};
  return out;
}

Result<Trace> parseTrace(std::string_view bytes, std::string_view name, const TraceFormat& f, uint64_t limit) {
  switch (f.kind) {
    case TraceKind::OracleGeneral: return parseOracleGeneral(bytes, name, limit);
    case TraceKind::Vscsi: return parseVscsi(bytes, name, limit);
    case TraceKind::Csv:
    case TraceKind::Txt:
    case TraceKind::CdnLog: {
      if (f.kind != TraceKind::Txt && (f.idCol < 1 || f.timeCol < 0 || f.sizeCol < 0))
        return Error{0, std::string(name) + ": CSV columns are 1-based (id column required)"};
      return parseLines(bytes, name, f, limit);
    }
  }
  return Error{0, "unknown trace format"};
}

Result<Trace> loadTrace(const std::string& path, const TraceFormat& f, uint64_t limit) {
  auto bytes = readTraceBytes(path);
  if (!bytes) return bytes.error();
  return parseTrace(*bytes, path, f, limit);
}

}  // namespace cdnlab::sim
