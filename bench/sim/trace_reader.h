// Trace readers: libCacheSim's oracleGeneral binary, VMware vSCSI (v1 / v2), CSV with column
// mapping (like libCacheSim's csv reader), plain text (one id per line) and a CDN access-log CSV
// (time,url,size[,ttl]). zstd-compressed files (by their magic number) are read transparently.
// A bad trace stops the load with the file, the record number and the reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bench/sim/trace.h"
#include "common/result.h"

namespace cdnlab::sim {

enum class TraceKind { OracleGeneral, Vscsi, Csv, Txt, CdnLog };

struct TraceFormat {
  TraceKind kind = TraceKind::OracleGeneral;
  // CSV column numbers, 1-based; 0 = absent (time 0; size 1 per request).
  int timeCol = 0, idCol = 1, sizeCol = 0;
  char delimiter = ',';
  bool header = false;  // skip the first line
  // Ids that are not decimal numbers are hashed (XXH3-64); libCacheSim does the same when its
  // obj-id-is-num option is off.
  // Seconds the response stays fresh (a CDN log's 4th column); 0 = absent. A line without it,
  // or with it empty, has no TTL: the replay keeps that response until it is evicted. (Last, so
  // that positional initialisers of the fields above keep their meaning.)
  int ttlCol = 0;
};

// "oracleGeneral", "vscsi", "csv", "txt", "cdnlog" (case-insensitive).
Result<TraceKind> parseTraceKind(std::string_view name);
std::string_view traceKindName(TraceKind k);
// From the file name: .oracleGeneral(.bin) / .bin, .vscsi, .csv, .txt (after stripping .zst).
Result<TraceKind> guessTraceKind(std::string_view path);

// The file's bytes, decompressed when it is a zstd frame.
Result<std::string> readTraceBytes(const std::string& path);

// Loads the whole trace, renumbers objects densely and links next accesses. `limit` > 0 stops
// after that many requests.
Result<Trace> loadTrace(const std::string& path, const TraceFormat& format, uint64_t limit = 0);
// The same over bytes already in memory (tests); `name` is used in messages.
Result<Trace> parseTrace(std::string_view bytes, std::string_view name, const TraceFormat& format,
                         uint64_t limit = 0);

}  // namespace cdnlab::sim
