// CloudFront-format access log lines and the per-PoP log file (see access_log.h).
#include "edge/pop/access_log.h"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace cdnlab::edge::pop {

namespace {

// The 33 fields of CloudFront's standard log file, in its order.
constexpr const char* kFields =
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
    "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
    "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
    "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";

// A field value: "-" when empty; bytes that would break the line (whitespace, controls,
// non-ASCII, quotes, backslash) percent-encoded, as CloudFront encodes them.
std::string field(std::string_view v) {
  if (v.empty()) return "-";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(v.size());
  for (unsigned char c : v) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

std::string number(std::optional<uint64_t> v) { return v ? std::to_string(*v) : "-"; }

// "bytes 0-99/1234" -> 0, 99.
void parseContentRange(std::string_view v, AccessRecord& r) {
  if (v.rfind("bytes ", 0) != 0) return;
  v.remove_prefix(6);
  uint64_t a = 0, b = 0;
  size_t i = 0;
  auto digits = [&](uint64_t& out) {
    size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && i - start < 19) out = out * 10 + static_cast<uint64_t>(v[i++] - '0');
    return i > start;
  };
  if (!digits(a) || i >= v.size() || v[i++] != '-' || !digits(b)) return;
  r.rangeStart = a;
  r.rangeEnd = b;
}

// The value of `name` in a pre-serialized header block ("Name: value\r\n" lines).
std::optional<std::string_view> blockHeader(std::string_view block, std::string_view name) {
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    size_t colon = line.find(':');
    if (colon == name.size() && strncasecmp(line.data(), name.data(), name.size()) == 0)
      return http::trimOws(line.substr(colon + 1));
    if (eol == std::string_view::npos) break;
    block.remove_prefix(eol + 2);
  }
  return std::nullopt;
}

std::optional<std::string_view> responseHeader(const http::Response& r, std::string_view name) {
  if (auto v = r.headers.get(name)) return v;
  return blockHeader(r.headerBlock.view(), name);
}

}  // namespace

std::string accessLogHeader(bool behaviorField) {
  return std::string("#Version: 1.0\n#Fields: ") + kFields + (behaviorField ? " cache-behavior-path-pattern" : "") + "\n";
}

std::string_view edgeResultType(Outcome o, int status) {
  switch (o) {
    case Outcome::Hit:
    case Outcome::Stale: return "Hit";
    case Outcome::Revalidated: return "RefreshHit";
    case Outcome::Miss:
    case Outcome::Collapsed:
    case Outcome::Pass: return status >= 500 ? "Error" : "Miss";
    case Outcome::Synth: return status >= 400 ? "Error" : "Hit";
    case Outcome::Error: return "Error";
  }
  return "Error";
}

std::string formatAccessLine(const AccessRecord& r) {
  std::time_t t = static_cast<std::time_t>(r.endUnixMs / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[16], time[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
  std::strftime(time, sizeof time, "%H:%M:%S", &tm);
  const std::string result(edgeResultType(r.outcome, r.status));
  const std::string cols[] = {
      date,
      time,
      field(r.edgeLocation),
      std::to_string(r.scBytes),
      field(r.clientIp),
      field(r.method),
      field(r.host),
      field(r.uriStem),
      std::to_string(r.status),
      field(r.referer),
      field(r.userAgent),
      field(r.uriQuery),
      field(r.cookie),
      result,
      field(r.requestId),
      field(r.host),
      "http",
      std::to_string(r.csBytes),
      seconds(r.timeTakenS),
      field(r.forwardedFor),
      "-",  // ssl-protocol: plain HTTP
      "-",  // ssl-cipher
      result,
      r.httpMinor == 0 ? "HTTP/1.0" : "HTTP/1.1",
      "-",  // fle-status: no field-level encryption
      "-",  // fle-encrypted-fields
      r.clientPort > 0 ? std::to_string(r.clientPort) : "-",
      seconds(r.timeToFirstByteS),
      result,  // x-edge-detailed-result-type: the result type unless a detailed error is known
      field(r.contentType),
      number(r.contentLength),
      number(r.rangeStart),
      number(r.rangeEnd),
  };
  std::string line;
  for (const auto& c : cols) {
    if (!line.empty()) line += '\t';
    line += c;
  }
  if (r.behaviorPattern) {
    line += '\t';
    line += field(*r.behaviorPattern);
  }
  line += '\n';
  return line;
}

AccessRecord accessRecordOf(const http::Request& req, const http::Response& resp, Outcome outcome,
                            std::string_view popId, int64_t startNs, int64_t nowNs, int64_t unixMs,
                            uint64_t requestNumber) {
  AccessRecord r;
  r.endUnixMs = unixMs;
  r.edgeLocation = std::string(popId);
  size_t colon = req.peer.rfind(':');
  r.clientIp = req.peer.substr(0, colon);
  if (colon != std::string::npos) r.clientPort = std::atoi(req.peer.c_str() + colon + 1);
  r.method = req.method;
  r.host = std::string(req.headers.get("Host").value_or(""));
  r.uriStem = req.path;
  r.uriQuery = req.query;
  r.status = resp.status;
  r.referer = std::string(req.headers.get("Referer").value_or(""));
  r.userAgent = std::string(req.headers.get("User-Agent").value_or(""));
  r.cookie = std::string(req.headers.get("Cookie").value_or(""));
  r.outcome = outcome;
  char id[48];
  std::snprintf(id, sizeof id, "%.16s-%llu", std::string(popId).c_str(), static_cast<unsigned long long>(requestNumber));
  r.requestId = id;
  r.forwardedFor = std::string(req.headers.get("X-Forwarded-For").value_or(""));
  r.httpMinor = req.httpMinor;
  // Bytes on the wire as the request arrived: request line, fields, blank line, body.
  r.csBytes = req.method.size() + 1 + req.target.size() + 11 + 2 + req.body.size();
  for (const auto& h : req.headers) r.csBytes += h.name.size() + 2 + h.value.size() + 2;
  // The response as sent: status line, its fields (the server adds Date, Server, Connection
  // and Content-Length: ~100 bytes, counted as such), blank line, body (none for HEAD).
  const bool bodySent = !req.isHead() && resp.status != 204 && resp.status != 304;
  r.scBytes = 17 + resp.headerBlock.size() + 2 + 100 + (bodySent ? resp.body.size() : 0);
  for (const auto& h : resp.headers) r.scBytes += h.name.size() + 2 + h.value.size() + 2;
  r.timeTakenS = static_cast<double>(nowNs - startNs) / 1e9;
  r.timeToFirstByteS = r.timeTakenS;  // the response is written whole once ready
  r.contentType = std::string(responseHeader(resp, "Content-Type").value_or(""));
  if (!resp.streamed) r.contentLength = resp.body.size();
  if (auto cr = responseHeader(resp, "Content-Range")) parseContentRange(*cr, r);
  return r;
}

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& path, bool behaviorField) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Error{errno, "access log " + path + ": " + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size == 0) {
    const std::string h = accessLogHeader(behaviorField);
    if (::write(fd, h.data(), h.size()) != static_cast<ssize_t>(h.size())) {
      int err = errno;
      ::close(fd);
      return Error{err, "access log " + path + ": " + std::strerror(err)};
    }
  }
  return std::unique_ptr<AccessLog>(new AccessLog(fd));
}

AccessLog::~AccessLog() { ::close(fd_); }

uint64_t AccessLog::nextRequestNumber() { return requests_.fetch_add(1, std::memory_order_relaxed) + 1; }

void AccessLog::write(const AccessRecord& r) {
  const std::string line = formatAccessLine(r);
  // A full disk must not stop the PoP: the line is lost, the request is still answered.
  [[maybe_unused]] ssize_t n = ::write(fd_, line.data(), line.size());
}

}  // namespace cdnlab::edge::pop
