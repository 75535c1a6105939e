// Deliver and Synth (viewer-response): build the client's response. A response from an entry
// shares the entry's body Buffer (no body copy) and adds only the per-request headers: Age,
// X-Cache, X-Cache-Hits, X-Served-By, Server-Timing (Date comes from the server).
#include "edge/cache/conditional.h"
#include "edge/cache/range.h"
#include "edge/pop/core.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace cdnlab::edge::pop {

bool isPerHopField(std::string_view name) {
  for (auto n : {"Content-Length", "Date", "Age", "X-Cache", "X-Served-By", "X-Cache-Hits", "Server-Timing",
                 "Server", "Connection", "Transfer-Encoding"})
    if (http::equalsIgnoreCase(name, n)) return true;
  return false;
}

namespace {

// Upstream teaching headers chain like Fastly's: "X-Cache: Hit, Miss" reads shield then edge,
// so a tiered miss shows where it was answered.
std::string chained(std::string upstreamValue, std::string_view ours) {
  if (upstreamValue.empty()) return std::string(ours);
  upstreamValue += ", ";
  upstreamValue += ours;
  return upstreamValue;
}

void addTeachingHeaders(PopCore& core, Transaction& tx, http::Headers& out, const http::Headers& from) {
  std::string_view outcome = outcomeName(tx.outcome.value_or(Outcome::Error));
  out.set("X-Cache", chained(from.getAll("X-Cache"), outcome));
  out.set("X-Served-By", chained(from.getAll("X-Served-By"), core.config().id));
  setServerTiming(core, tx, out);
}

}  // namespace

void setServerTiming(PopCore& core, const Transaction& tx, http::Headers& out) {
  // to_chars instead of snprintf("%.3f"): same digits, without printf's per-call locale and
  // format-string machinery (it showed in the hit path's profile).
  char timing[128];
  char* p = timing;
  char* end = timing + sizeof timing;
  auto appendMs = [&](std::string_view label, int64_t ns) {
    std::memcpy(p, label.data(), label.size());
    p += label.size();
    p = std::to_chars(p, end, static_cast<double>(ns) / 1e6, std::chars_format::fixed, 3).ptr;
  };
  appendMs("pop;dur=", core.clock().nowNs() - tx.startNs);
  if (tx.upstreamNs > 0) appendMs(", upstream;dur=", tx.upstreamNs);
  if (tx.ranFunction) appendMs(", fn;dur=", tx.functionNs);
  out.set("Server-Timing", std::string_view(timing, static_cast<size_t>(p - timing)));
}

namespace {

// Targeted cache-control fields (RFC 9213) this PoP removes before answering clients.
bool isStrippedTargetedField(const PopConfig& config, std::string_view name) {
  if (!config.stripTargetedCacheControl) return false;
  return http::equalsIgnoreCase(name, "CDN-Cache-Control") ||
         (!config.popCacheControlField.empty() && http::equalsIgnoreCase(name, config.popCacheControlField));
}

// The entry's stored fields as wire lines, minus those each response sets itself (and minus
// Content-Type for a multipart/byteranges or 416 answer, whose body is not the stored type).
Buffer serializeHeaderBlock(const PopConfig& config, const cache::Entry& entry, bool withContentType = true) {
  std::string block;
  block.reserve(512);
  bool acceptRanges = false;
  for (const auto& h : entry.headers) {
    if (isPerHopField(h.name) || isStrippedTargetedField(config, h.name)) continue;
    if (!withContentType && http::equalsIgnoreCase(h.name, "Content-Type")) continue;
    acceptRanges = acceptRanges || http::equalsIgnoreCase(h.name, "Accept-Ranges");
    block += h.name;
    block += ": ";
    block += h.value;
    block += "\r\n";
  }
  // A stored full response can answer byte ranges (RFC 9110 14.3).
  if (!acceptRanges && entry.status == 200) block += "Accept-Ranges: bytes\r\n";
  return Buffer(std::move(block));
}

// RFC 9110 14: a GET with Range for a full 200 response, answered from the whole body: 206 with
// one part or multipart/byteranges, or 416 with "Content-Range: bytes */length". `fields` are the
// response's stored fields (validators for If-Range, Content-Type for the parts). Returns false
// when the Range does not apply (no Range, HEAD, If-Range mismatch, invalid or too many ranges):
// the full response goes out. `dropContentType` is called for the multipart and 416 answers.
template <typename DropContentType>
bool answerRange(const Transaction& tx, int status, const http::Headers& fields, http::Response& r,
                 DropContentType dropContentType) {
  if (tx.request.method != "GET" || status != 200) return false;
  auto range = tx.request.headers.get("Range");
  if (!range) return false;
  auto date = cache::findHeader(fields, "date");
  auto dateS = date ? cache::parseHttpDate(*date) : std::nullopt;
  if (!cache::ifRangeMatches(&tx.request.headers, cache::findHeader(fields, "etag").value_or(""),
                             cache::findHeader(fields, "last-modified").value_or(""), dateS.value_or(0)))
    return false;
  const uint64_t length = r.body.size();
  cache::RangePlan plan = cache::planRange(*range, length);
  switch (plan.verdict) {
    case cache::RangeVerdict::Ignore:
      return false;
    case cache::RangeVerdict::Unsatisfiable:
      r.status = 416;
      r.body = Buffer::copyOf("requested range not satisfiable\n");
      dropContentType();
      r.headers.set("Content-Type", "text/plain");
      r.headers.set("Content-Range", cache::unsatisfiedRange(length));
      return true;
    case cache::RangeVerdict::Satisfiable:
      break;
  }
  r.status = 206;
  if (plan.ranges.size() == 1) {
    const cache::ByteRange& only = plan.ranges.front();
    r.headers.set("Content-Range", cache::contentRange(only, length));
    r.body = r.body.slice(only.first, only.length());  // shares the stored bytes
    return true;
  }
  std::string type(cache::findHeader(fields, "content-type").value_or(""));
  char boundary[40];
  std::snprintf(boundary, sizeof boundary, "cdnlab-%016llx",
                static_cast<unsigned long long>(tx.startNs) * 0x9E3779B97F4A7C15ull);
  r.body = Buffer(cache::multipartBody(r.body.view(), plan.ranges, type, boundary));
  dropContentType();
  r.headers.set("Content-Type", std::string("multipart/byteranges; boundary=") + boundary);
  return true;
}

// The header block is serialized once per entry and worker, then every hit sends the same
// Buffer. Entries are immutable, so a block stays right for its entry's whole life; the memo
// holds a weak_ptr to tell a live entry from a new one that reuses a freed address. It is
// thread_local (one per worker loop: no lock) and bounded: when full it starts over.
class HeaderBlockMemo {
 public:
  Buffer get(const PopConfig& config, const std::shared_ptr<const cache::Entry>& entry) {
    auto it = blocks_.find(entry.get());
    if (it != blocks_.end() && it->second.entry.lock() == entry) return it->second.block;
    if (blocks_.size() >= kMaxBlocks) blocks_.clear();
    Buffer block = serializeHeaderBlock(config, *entry);
    blocks_[entry.get()] = Memo{entry, block};
    return block;
  }

 private:
  static constexpr size_t kMaxBlocks = 16384;
  struct Memo {
    std::weak_ptr<const cache::Entry> entry;
    Buffer block;
  };
  std::unordered_map<const cache::Entry*, Memo> blocks_;
};

Buffer entryHeaderBlock(const PopConfig& config, const std::shared_ptr<const cache::Entry>& entry) {
  thread_local HeaderBlockMemo memo;
  return memo.get(config, entry);
}

}  // namespace

// Deliver: from the entry (answering the client's conditional with 304 when it matches), or
// the uncached upstream response as it came.
Next stepDeliver(PopCore& core, Transaction& tx) {
  http::Response& r = tx.response;
  if (!tx.fromEntry) {
    http::Headers upstreamTeaching;
    for (auto name : {"X-Cache", "X-Served-By"})
      if (auto v = r.headers.get(name)) upstreamTeaching.add(name, *v);
    for (auto name : {"X-Cache", "X-Served-By", "X-Cache-Hits"}) r.headers.remove(name);
    if (core.config().stripTargetedCacheControl) {
      r.headers.remove("CDN-Cache-Control");
      if (!core.config().popCacheControlField.empty()) r.headers.remove(core.config().popCacheControlField);
    }
    // A full response that was not stored (too large, no-store) still answers the client's range.
    if (!tx.pass) {
      http::Headers fields = r.headers;
      answerRange(tx, r.status, fields, r, [&r] { r.headers.remove("Content-Type"); });
    }
    addTeachingHeaders(core, tx, r.headers, upstreamTeaching);
    return goTo(Step::FnViewerResponse);
  }
  const cache::Entry& entry = *tx.entry;
  bool notModified = cache::evaluateConditional(entry, requestView(core, tx)) == cache::ConditionalResult::NotModified;
  r.status = notModified ? 304 : entry.status;
  r.headers.reserve(8);  // the five per-request fields below, without regrowing the vector
  r.headerBlock = entryHeaderBlock(core.config(), tx.entry);
  // The origin's Date, kept with the entry (RFC 9111 4.2.3 computes Age from it).
  if (auto date = cache::findHeader(entry.headers, "date")) r.headers.add("Date", *date);
  if (!notModified) {
    r.body = entry.body;  // shares the bytes
    answerRange(tx, entry.status, entry.headers, r,
                [&] { r.headerBlock = serializeHeaderBlock(core.config(), entry, false); });
  }
  char number[32];
  auto digits = [&number](auto v) {
    return std::string_view(number, static_cast<size_t>(std::to_chars(number, number + sizeof number, v).ptr - number));
  };
  r.headers.add("Age", digits(cache::currentAgeS(entry, core.nowMs())));
  // The store counts lookups that found the entry (CacheStore::lookup).
  r.headers.add("X-Cache-Hits", digits(entry.hits.load(std::memory_order_relaxed)));
  addTeachingHeaders(core, tx, r.headers, entry.headers);
  return goTo(Step::FnViewerResponse);
}

// Synth: a response made by the PoP (loop, only-if-cached, upstream failure, a failing edge
// function) or generated by an edge function (already in tx.response).
Next stepSynth(PopCore& core, Transaction& tx) {
  if (!tx.responseReady) {
    http::Response r(tx.synth.status, tx.synth.text + "\n");
    r.headers.add("Cache-Control", "no-store");
    for (const http::Header& h : tx.synthHeaders) r.headers.add(h.name, h.value);
    tx.response = std::move(r);
  }
  addTeachingHeaders(core, tx, tx.response.headers, http::Headers{});
  tx.fromEntry = false;
  return goTo(Step::FnViewerResponse);
}

}  // namespace cdnlab::edge::pop
