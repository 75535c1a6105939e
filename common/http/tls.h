// TLS for the HTTP server, on OpenSSL with memory BIOs: the socket I/O stays libuv's, and TLS is
// a stage between the socket and whoever reads it (the HTTP parser, a WebSocket session).
//
//   socket bytes --feed()--> TlsSession --plaintext--> parser
//   response bytes --encrypt()--> TlsSession --takeOutput()--> socket
//
// Nothing here blocks or touches a socket: feed() and encrypt() only move bytes between memory
// buffers, so a connection drives them from its loop callbacks and decides itself what to write
// and when to close. The handshake runs inside feed() (server side, TLS 1.2 and 1.3, ALPN
// http/1.1; SNI is accepted and not needed: one certificate serves every name).
#pragma once

#include <uv.h>

#include <cstddef>
#include <memory>
#include <string>

#include "common/result.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace cdnlab::http {

// A server certificate and key, loaded once and shared by every connection of every worker
// (OpenSSL's SSL_CTX is safe to share once configured).
class TlsContext {
 public:
  // certFile: PEM, the certificate first, then any intermediates; keyFile: its PEM private key.
  // The error names the file and what is wrong with it (unreadable, not PEM, key not the cert's).
  static Result<std::shared_ptr<TlsContext>> load(const std::string& certFile, const std::string& keyFile);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  SSL_CTX* native() const { return ctx_; }

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// The server side of one TLS connection.
class TlsSession {
 public:
  enum class Status {
    Ok,          // all input taken; plaintext (if any) appended
    PeerClosed,  // the peer sent close_notify: no more input will come (an EOF)
    Failed,      // a handshake or record error: an alert may be waiting in the output; then close
  };

  // nullptr only when OpenSSL cannot allocate.
  static std::unique_ptr<TlsSession> create(const TlsContext& ctx);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Takes `len` bytes read from the socket, advances the handshake and appends whatever
  // application data they complete to `plain`. What TLS must send in return (handshake
  // messages, session tickets, alerts) waits for takeOutput().
  Status feed(const char* data, size_t len, std::string& plain);
  // Encrypts application data (the handshake must be done) and appends the records to the
  // output. False when the handshake is not done or the session failed.
  bool encrypt(const uv_buf_t* bufs, unsigned n);
  // Queues close_notify (once, after the handshake; later calls do nothing).
  void closeNotify();
  // Appends the bytes waiting to go to the socket to `out` and clears them. False if none.
  bool takeOutput(std::string& out);
  bool hasOutput() const;

  bool handshakeDone() const { return handshakeDone_; }
  bool failed() const { return failed_; }
  // Why the session failed (OpenSSL's reason, e.g. "wrong version number"), for the log.
  const std::string& failure() const { return failure_; }
  // The protocol ALPN chose ("http/1.1") or empty; the negotiated version ("TLSv1.3").
  std::string alpn() const;
  std::string version() const;

 private:
  TlsSession(SSL* ssl, BIO* in, BIO* out) : ssl_(ssl), in_(in), out_(out) {}
  Status fail();

  SSL* ssl_;
  BIO* in_;   // ciphertext from the socket, read by OpenSSL (owned by ssl_)
  BIO* out_;  // ciphertext OpenSSL wrote, for the socket (owned by ssl_)
  bool handshakeDone_ = false;
  bool failed_ = false;
  bool closeNotifySent_ = false;
  std::string failure_;
};

}  // namespace cdnlab::http
