// Prometheus rendering of ServerStats (see server_metrics.h).
#include "common/http/server_metrics.h"

#include <cinttypes>
#include <cstdio>

namespace cdnlab::http {

namespace {
uint64_t load(const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); }

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void series(std::string& out, const char* name, const std::string& server, const char* reason, uint64_t v) {
  char line[256];
  if (reason) {
    std::snprintf(line, sizeof line, "%s{server=\"%s\",reason=\"%s\"} %" PRIu64 "\n", name, server.c_str(), reason, v);
  } else {
    std::snprintf(line, sizeof line, "%s{server=\"%s\"} %" PRIu64 "\n", name, server.c_str(), v);
  }
  out += line;
}
}  // namespace

void appendServerMetrics(std::string& out, const std::vector<NamedServerStats>& servers) {
  family(out, "cdnlab_http_connections_accepted_total", "counter", "Connections accepted by the listener.");
  for (const auto& s : servers) series(out, "cdnlab_http_connections_accepted_total", s.name, nullptr, load(s.stats->accepted));
  family(out, "cdnlab_http_connections_handed_over_total", "counter",
         "Connections a worker accepted and handed to the worker serving the fewest, to keep them balanced.");
  for (const auto& s : servers)
    series(out, "cdnlab_http_connections_handed_over_total", s.name, nullptr, load(s.stats->connectionsHandedOver));
  family(out, "cdnlab_http_connections_open", "gauge", "Connections open now.");
  for (const auto& s : servers) series(out, "cdnlab_http_connections_open", s.name, nullptr, load(s.stats->openConnections));
  family(out, "cdnlab_http_accept_errors_total", "counter",
         "Failed accepts by reason (emfile: process out of file descriptors; enfile: system out of them).");
  for (const auto& s : servers) {
    series(out, "cdnlab_http_accept_errors_total", s.name, "emfile", load(s.stats->acceptErrorsEmfile));
    series(out, "cdnlab_http_accept_errors_total", s.name, "enfile", load(s.stats->acceptErrorsEnfile));
    series(out, "cdnlab_http_accept_errors_total", s.name, "other", load(s.stats->acceptErrorsOther));
  }
  family(out, "cdnlab_http_accept_pauses_total", "counter",
         "Times the listener stopped accepting for a moment after a resource error.");
  for (const auto& s : servers) series(out, "cdnlab_http_accept_pauses_total", s.name, nullptr, load(s.stats->acceptPauses));
}

}  // namespace cdnlab::http
