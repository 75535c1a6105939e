// Per-PoP access logs in CloudFront's standard log file format: the same 33 tab-separated
// fields in the same order, after "#Version: 1.0" and "#Fields: ..." header lines, so a run can
// be analysed with the tools people already use for CloudFront logs (Athena tables, GoAccess's
// CLOUDFRONT format, pandas). Where cdnlab has no equivalent (TLS, field-level encryption) the
// field is "-", as CloudFront writes it for plain HTTP. One line per client transaction, written
// when it ends (PopServer::handle's done hook). Formatting is pure; AccessLog owns the file.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/http/message.h"
#include "common/result.h"
#include "edge/pop/steps.h"

namespace cdnlab::edge::pop {

// What one line says, gathered when the transaction ends.
struct AccessRecord {
  int64_t endUnixMs = 0;      // when the response was ready (UTC)
  std::string edgeLocation;   // the PoP id
  uint64_t scBytes = 0;       // response bytes to the client, headers included
  std::string clientIp;
  int clientPort = 0;
  std::string method;
  std::string host;           // Host header
  std::string uriStem;        // path
  std::string uriQuery;       // without '?'
  int status = 0;
  std::string referer;
  std::string userAgent;
  std::string cookie;
  Outcome outcome = Outcome::Miss;
  std::string requestId;
  uint64_t csBytes = 0;       // request bytes from the client, headers included
  double timeTakenS = 0;
  double timeToFirstByteS = 0;
  std::string forwardedFor;
  int httpMinor = 1;
  std::string contentType;
  std::optional<uint64_t> contentLength;
  std::optional<uint64_t> rangeStart, rangeEnd;  // from Content-Range, when the response has one
  // The cache behavior's path pattern (CloudFront's real-time-log field
  // cache-behavior-path-pattern), a 34th field written only by PoPs with behaviors.
  std::optional<std::string> behaviorPattern;
};

// "#Version: 1.0\n#Fields: date time x-edge-location ...\n"; with `behaviorField`, the field list
// ends with cache-behavior-path-pattern.
std::string accessLogHeader(bool behaviorField = false);
// One line (ending in '\n'): fields tab-separated, "-" for empty, strings URL-encoded where
// CloudFront encodes them (spaces, tabs and control characters never split a field).
std::string formatAccessLine(const AccessRecord& r);
// CloudFront's x-edge-result-type for a PoP outcome: Hit (also Stale), RefreshHit
// (Revalidated), Miss (also Collapsed and Pass), Error (Error, or a Synth with status >= 400).
std::string_view edgeResultType(Outcome o, int status);

// The record of a transaction that ended: request fields, the response about to be sent,
// timings from the monotonic start of the transaction.
AccessRecord accessRecordOf(const http::Request& req, const http::Response& resp, Outcome outcome,
                            std::string_view popId, int64_t startNs, int64_t nowNs, int64_t unixMs,
                            uint64_t requestNumber);

class AccessLog {
 public:
  // Opens (appends to) path; writes the header lines when the file is new or empty.
  // `behaviorField`: the PoP has cache behaviors; every record then carries behaviorPattern.
  static Result<std::unique_ptr<AccessLog>> open(const std::string& path, bool behaviorField = false);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Thread-safe: one write(2) per line on an O_APPEND descriptor, so lines from several
  // workers never interleave and a reader (tail -f) sees whole lines at once.
  void write(const AccessRecord& r);
  // Numbers requests for x-edge-request-id (unique per PoP process).
  uint64_t nextRequestNumber();

 private:
  explicit AccessLog(int fd) : fd_(fd) {}
  int fd_;
  std::atomic<uint64_t> requests_{0};
};

}  // namespace cdnlab::edge::pop
