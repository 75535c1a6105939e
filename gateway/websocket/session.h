// Session: one live WebSocket connection on a worker's loop. RFC 6455 framing, masking, control
// frames (ping/pong, the close handshake) and fragmented messages are wslay's; this class owns
// the socket (libuv), feeds wslay what arrives, writes what wslay produces (through the
// connection's TLS session on a wss:// connection), and enforces the API's limits: frame and message sizes (close 1009), idle time and lifetime (close 1001). Any
// protocol error closes this connection only. Loop thread only.
//
// Lifetime: made by open(); deletes itself after its handles are closed. Hooks::onClosed runs
// exactly once, when closing starts; the owner must forget the pointer then.
#pragma once

#include <uv.h>
#include <wslay/wslay.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <memory>
#include <string_view>

#include "common/http/tls.h"

namespace cdnlab::gateway::websocket {

struct SessionLimits {
  size_t maxMessageBytes = 128 * 1024;  // API Gateway: 128 KB messages
  size_t maxFrameBytes = 32 * 1024;     // ... in frames of at most 32 KB
  uint64_t idleMs = 10 * 60 * 1000;     // 10 minutes without a message
  uint64_t maxLifetimeMs = 2 * 3600 * 1000;  // 2 hours
  size_t maxQueuedBytes = 4 << 20;      // output the client does not read: past this it is dropped
};

class Session {
 public:
  struct Hooks {
    std::function<void(Session&, std::string text)> onMessage;
    // status: the close code (the peer's, ours, or 1006 when the socket just went away).
    std::function<void(Session&, int status, std::string reason)> onClosed;
  };

  // Adopts `fd` on `loop`, writes `handshake` (the 101 answer) and starts reading. `tls` is the
  // HTTP connection's TLS session on a wss:// connection (nullptr on ws://): every byte then
  // goes through it. nullptr (and the fd closed) when libuv or wslay cannot take it.
  static Session* open(uv_loop_t* loop, int fd, std::unique_ptr<http::TlsSession> tls, const std::string& handshake,
                       SessionLimits limits, Hooks hooks);

  // Queues a message, a text frame or (binary) a binary one; a message longer than the frame
  // limit goes out fragmented, in frames within it. False when the session is closing or its
  // output is over the limit.
  bool send(std::string_view data, bool binary = false);
  // Starts the close handshake with `code`; the socket closes once it is done (or at once on error).
  void close(uint16_t code, std::string_view reason);
  // Drops the socket now (server stop), after whatever close() already wrote.
  void abort() { shutdown(closeStatus_, closeReason_); }
  bool closing() const { return closing_; }
  int64_t lastActiveMs() const { return lastActiveMs_; }

 private:
  Session(uv_loop_t* loop, SessionLimits limits, Hooks hooks);
  ~Session();

  static ssize_t recvCallback(wslay_event_context_ptr, uint8_t* buf, size_t len, int flags, void* self);
  static ssize_t sendCallback(wslay_event_context_ptr, const uint8_t* data, size_t len, int flags, void* self);
  static int genmaskCallback(wslay_event_context_ptr, uint8_t* buf, size_t len, void* self);
  static void frameStartCallback(wslay_event_context_ptr, const wslay_event_on_frame_recv_start_arg* arg, void* self);
  static void msgCallback(wslay_event_context_ptr, const wslay_event_on_msg_recv_arg* arg, void* self);
  static ssize_t fragmentCallback(wslay_event_context_ptr, uint8_t* buf, size_t len, const wslay_event_msg_source* source,
                                  int* eof, void* self);
  static void onAlloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void onRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  static void onWrite(uv_write_t* req, int status);
  static void onTimer(uv_timer_t* t);
  static void onHandleClosed(uv_handle_t* h);

  void pump();                        // wslay's pending output to the socket; closes when done
  void writeRaw(std::string bytes);  // encrypts first on TLS
  void writeSocket(std::string bytes);
  void onBytes(const char* data, size_t len);  // plaintext read: wslay's turn
  void linger();                      // the close handshake is over: FIN, drain, then shutdown
  void notifyClosed();                // Hooks::onClosed, once
  static void onShutdown(uv_shutdown_t* req, int status);
  void shutdown(int status, std::string reason);  // closes the handles (once)

  uv_loop_t* loop_;
  SessionLimits limits_;
  Hooks hooks_;
  uv_tcp_t tcp_;
  std::unique_ptr<http::TlsSession> tls_;
  uv_timer_t idleTimer_;
  uv_timer_t lifeTimer_;
  int openHandles_ = 0;
  wslay_event_context_ptr ws_ = nullptr;
  std::string input_;        // bytes read, not yet taken by wslay
  size_t inputOff_ = 0;
  std::string output_;       // bytes wslay produced during this pump
  // Messages queued fragmented: wslay reads them through fragmentCallback. Owned here (not by
  // wslay), so whatever is still queued when the session goes is freed with it.
  struct Fragmented {
    std::string data;
    size_t sent = 0;
  };
  std::deque<Fragmented> fragmented_;
  char readBuf_[16 * 1024];
  size_t pendingWrites_ = 0;
  int closeStatus_ = 1006;
  std::string closeReason_ = "Connection closed abnormally";
  bool frameTooLarge_ = false;
  bool closing_ = false;     // close handshake started (or the socket is going)
  bool shut_ = false;        // handles closing
  bool lingering_ = false;   // close done, waiting for the peer's FIN
  uv_shutdown_t shutdownReq_;
  bool inRecv_ = false;      // inside wslay_event_recv: its callbacks queue, the read path sends
  int64_t lastActiveMs_ = 0;
};

}  // namespace cdnlab::gateway::websocket
