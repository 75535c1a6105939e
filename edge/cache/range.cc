// Range parsing and 206 / 416 assembly (see range.h).
#include "edge/cache/range.h"

#include <algorithm>

namespace cdnlab::edge::cache {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// 1*DIGIT; values past 2^62 saturate (they are past any length we hold anyway).
std::optional<uint64_t> parseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = std::min<uint64_t>(n * 10 + uint64_t(c - '0'), uint64_t(1) << 62);
  }
  return n;
}

// Merges ranges that overlap or touch (RFC 9110 14.2 lets a server coalesce them); keeps the
// order of the first range of each merged group.
std::vector<ByteRange> coalesce(std::vector<ByteRange> in) {
  bool overlap = false;
  for (size_t i = 0; i < in.size() && !overlap; ++i)
    for (size_t j = i + 1; j < in.size() && !overlap; ++j)
      overlap = in[i].first <= in[j].last + 1 && in[j].first <= in[i].last + 1;
  if (!overlap) return in;
  std::sort(in.begin(), in.end(), [](const ByteRange& a, const ByteRange& b) { return a.first < b.first; });
  std::vector<ByteRange> out;
  for (const ByteRange& r : in) {
    if (!out.empty() && r.first <= out.back().last + 1) out.back().last = std::max(out.back().last, r.last);
    else out.push_back(r);
  }
  return out;
}

}  // namespace

RangePlan planRange(std::string_view value, uint64_t length) {
  RangePlan plan;
  value = trim(value);
  size_t eq = value.find('=');
  if (eq == std::string_view::npos || !equalsIgnoreCase(trim(value.substr(0, eq)), "bytes")) return plan;
  std::string_view set = value.substr(eq + 1);
  std::vector<ByteRange> ranges;
  size_t specs = 0;
  size_t start = 0;
  while (start <= set.size()) {
    size_t comma = set.find(',', start);
    std::string_view spec = trim(set.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? set.size() + 1 : comma + 1;
    if (spec.empty()) continue;  // empty list elements are allowed (RFC 9110 5.6.1)
    if (++specs > kMaxRanges) return RangePlan{};
    size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return RangePlan{};
    std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
    if (a.empty()) {  // suffix-range: the last N bytes
      auto n = parseDigits(b);
      if (!n) return RangePlan{};
      if (*n == 0 || length == 0) continue;  // unsatisfiable on its own
      ranges.push_back({length - std::min(*n, length), length - 1});
      continue;
    }
    auto first = parseDigits(a);
    if (!first) return RangePlan{};
    std::optional<uint64_t> last;
    if (!b.empty()) {
      last = parseDigits(b);
      if (!last || *last < *first) return RangePlan{};  // 14.1.1: invalid makes the whole field invalid
    }
    if (*first >= length) continue;  // unsatisfiable on its own
    ranges.push_back({*first, std::min(last.value_or(length - 1), length - 1)});
  }
  if (specs == 0) return RangePlan{};
  if (ranges.empty()) {
    plan.verdict = RangeVerdict::Unsatisfiable;
    return plan;
  }
  plan.verdict = RangeVerdict::Satisfiable;
  plan.ranges = coalesce(std::move(ranges));
  return plan;
}

bool ifRangeMatches(const Headers* request, std::string_view etag, std::string_view lastModified, int64_t dateS) {
  if (!request) return true;
  auto v = findHeader(*request, "if-range");
  if (!v) return true;
  std::string_view cond = trim(*v);
  if (cond.starts_with("W/")) return false;  // a weak tag never matches (strong comparison)
  if (cond.starts_with("\"")) return !etag.empty() && !etag.starts_with("W/") && cond == trim(etag);
  auto when = parseHttpDate(cond);
  auto modified = parseHttpDate(lastModified);
  return when && modified && *when == *modified && *modified + 1 <= dateS;
}

std::string contentRange(const ByteRange& r, uint64_t length) {
  return "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(length);
}

std::string unsatisfiedRange(uint64_t length) { return "bytes */" + std::to_string(length); }

std::string multipartBody(std::string_view body, const std::vector<ByteRange>& ranges, std::string_view contentType,
                          std::string_view boundary) {
  std::string out;
  for (const ByteRange& r : ranges) {
    out += "\r\n--";
    out += boundary;
    out += "\r\n";
    if (!contentType.empty()) {
      out += "Content-Type: ";
      out += contentType;
      out += "\r\n";
    }
    out += "Content-Range: " + contentRange(r, body.size()) + "\r\n\r\n";
    out += body.substr(r.first, r.length());
  }
  out += "\r\n--";
  out += boundary;
  out += "--\r\n";
  return out;
}

}  // namespace cdnlab::edge::cache
