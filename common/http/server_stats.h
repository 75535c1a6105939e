// ServerStats: the HTTP server's own counters, in a header of their own so that pure code (the
// PoP core's /metrics text) can format them without the libuv server.
#pragma once

#include <atomic>
#include <cstdint>

namespace cdnlab::http {

// Server-wide counters (relaxed atomics, summed over workers).
struct ServerStats {
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> parseErrors{0};
  std::atomic<uint64_t> timeouts{0};
  std::atomic<uint64_t> openConnections{0};
  // Connections one worker accepted and handed to a worker that served fewer (worker.cc).
  std::atomic<uint64_t> connectionsHandedOver{0};
  // Failed accepts on the listeners (acceptor.h). EMFILE/ENFILE (out of file descriptors) and
  // other resource errors pause accepting for a moment instead of spinning.
  std::atomic<uint64_t> acceptErrorsEmfile{0};
  std::atomic<uint64_t> acceptErrorsEnfile{0};
  std::atomic<uint64_t> acceptErrorsOther{0};
  std::atomic<uint64_t> acceptPauses{0};
  // TLS listeners: handshakes completed, and connections closed for a failed handshake or a
  // bad record (garbage, a protocol the server does not speak, a certificate the client refused).
  std::atomic<uint64_t> tlsHandshakes{0};
  std::atomic<uint64_t> tlsFailures{0};
};

}  // namespace cdnlab::http
