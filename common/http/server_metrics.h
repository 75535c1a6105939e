// Prometheus text for HttpServer's own counters (accepted connections, open connections, failed
// accepts by reason), so every component with a /metrics page exports the same families.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/http/server_stats.h"

namespace cdnlab::http {

// One listener to export, labelled server="<name>" (e.g. "pop", "admin").
struct NamedServerStats {
  std::string name;
  const ServerStats* stats;
};

// Appends cdnlab_http_connections_accepted_total, cdnlab_http_connections_open,
// cdnlab_http_accept_errors_total{reason="emfile|enfile|other"} and
// cdnlab_http_accept_pauses_total, one series per server and one HELP/TYPE per family.
void appendServerMetrics(std::string& out, const std::vector<NamedServerStats>& servers);

}  // namespace cdnlab::http
