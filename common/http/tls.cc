// TLS on OpenSSL memory BIOs (see tls.h).
#include "common/http/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cdnlab::http {

namespace {

// OpenSSL keeps a per-thread error queue; SSL_get_error is only right when it was empty before
// the call, and a failure left in it would be blamed on the next connection of this thread.
std::string takeOpenSslError() {
  unsigned long e = ERR_get_error();
  std::string why;
  if (e != 0) {
    const char* reason = ERR_reason_error_string(e);
    why = reason ? reason : "error " + std::to_string(e);
  }
  ERR_clear_error();
  return why;
}

// ALPN (RFC 7301): this server speaks HTTP/1.1 only (WebSocket upgrades included). A client
// that offers protocols but not http/1.1 gets the fatal no_application_protocol alert the RFC
// asks for; a client that offers none is not asked (the callback does not run).
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned inlen, void*) {
  static const unsigned char kProtocols[] = "\x08http/1.1";
  unsigned char* chosen = nullptr;
  unsigned char chosenLen = 0;
  if (SSL_select_next_proto(&chosen, &chosenLen, kProtocols, sizeof kProtocols - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = chosen;
  *outlen = chosenLen;
  return SSL_TLSEXT_ERR_OK;
}

Error fileError(const char* what, const std::string& file, const std::string& why) {
  return Error{2, std::string(what) + " " + file + ": " + why};
}

bool readable(const std::string& file, std::string& why) {
  FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) {
    why = std::string("cannot read: ") + std::strerror(errno);
    return false;
  }
  std::fclose(f);
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// TlsContext

Result<std::shared_ptr<TlsContext>> TlsContext::load(const std::string& certFile, const std::string& keyFile) {
  std::string why;
  if (!readable(certFile, why)) return fileError("certificate", certFile, why);
  if (!readable(keyFile, why)) return fileError("key", keyFile, why);
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return Error{1, "TLS: cannot create a context: " + takeOpenSslError()};
  std::shared_ptr<TlsContext> out(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // No renegotiation (a client could make the server redo the expensive half of a handshake
  // at will), no compression (CRIME).
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_alpn_select_cb(ctx, &selectAlpn, nullptr);
  if (SSL_CTX_use_certificate_chain_file(ctx, certFile.c_str()) != 1)
    return fileError("certificate", certFile, "not a PEM certificate chain (" + takeOpenSslError() + ")");
  if (SSL_CTX_use_PrivateKey_file(ctx, keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the key against the certificate as it loads it: say which problem it was.
    unsigned long e = ERR_peek_error();
    bool mismatch = ERR_GET_LIB(e) == ERR_LIB_X509 &&
                    (ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH || ERR_GET_REASON(e) == X509_R_KEY_TYPE_MISMATCH);
    if (mismatch) return fileError("key", keyFile, "does not match the certificate in " + certFile + " (" + takeOpenSslError() + ")");
    return fileError("key", keyFile, "not a PEM private key (" + takeOpenSslError() + ")");
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return fileError("key", keyFile, "does not match the certificate in " + certFile + " (" + takeOpenSslError() + ")");
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

// ---------------------------------------------------------------------------------------------
// TlsSession

std::unique_ptr<TlsSession> TlsSession::create(const TlsContext& ctx) {
  SSL* ssl = SSL_new(ctx.native());
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  if (!ssl || !in || !out) {
    SSL_free(ssl);
    BIO_free(in);
    BIO_free(out);
    ERR_clear_error();
    return nullptr;
  }
  // An empty BIO means "no bytes yet" (SSL_ERROR_WANT_READ), not end of stream.
  BIO_set_mem_eof_return(in, -1);
  BIO_set_mem_eof_return(out, -1);
  SSL_set_bio(ssl, in, out);  // ssl owns both now
  SSL_set_accept_state(ssl);
  return std::unique_ptr<TlsSession>(new TlsSession(ssl, in, out));
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

TlsSession::Status TlsSession::fail() {
  failed_ = true;
  std::string why = takeOpenSslError();
  if (failure_.empty()) failure_ = why.empty() ? "TLS protocol error" : why;
  return Status::Failed;
}

TlsSession::Status TlsSession::feed(const char* data, size_t len, std::string& plain) {
  if (failed_) return Status::Failed;
  ERR_clear_error();
  // A memory BIO takes everything at once (it grows); the caller's reads are bounded.
  size_t off = 0;
  while (off < len) {
    size_t wrote = 0;
    if (BIO_write_ex(in_, data + off, len - off, &wrote) != 1 || wrote == 0) return fail();
    off += wrote;
  }
  if (!handshakeDone_) {
    int rc = SSL_do_handshake(ssl_);
    if (rc != 1) {
      int err = SSL_get_error(ssl_, rc);
      if (err == SSL_ERROR_WANT_READ) return Status::Ok;  // the rest of the client's flight is to come
      return fail();
    }
    handshakeDone_ = true;
  }
  // Decrypt every complete record. Each SSL_read consumes input, so this ends when the BIO has
  // no complete record left (WANT_READ); OpenSSL itself refuses runs of empty records.
  constexpr size_t kChunk = 16 * 1024;  // one TLS record's worth of plaintext at most
  for (;;) {
    size_t old = plain.size();
    plain.resize(old + kChunk);
    size_t got = 0;
    int rc = SSL_read_ex(ssl_, plain.data() + old, kChunk, &got);
    plain.resize(old + (rc == 1 ? got : 0));
    if (rc == 1) continue;
    int err = SSL_get_error(ssl_, rc);
    if (err == SSL_ERROR_WANT_READ) return Status::Ok;
    if (err == SSL_ERROR_ZERO_RETURN) {
      ERR_clear_error();
      return Status::PeerClosed;
    }
    return fail();
  }
}

bool TlsSession::encrypt(const uv_buf_t* bufs, unsigned n) {
  if (!handshakeDone_ || failed_) return false;
  ERR_clear_error();
  // Small pieces (a response head and a short body) go out as one record instead of one each.
  size_t total = 0;
  for (unsigned i = 0; i < n; ++i) total += bufs[i].len;
  if (n > 1 && total <= 16 * 1024) {
    thread_local std::string joined;
    joined.clear();
    for (unsigned i = 0; i < n; ++i) joined.append(bufs[i].base, bufs[i].len);
    size_t wrote = 0;
    if (SSL_write_ex(ssl_, joined.data(), joined.size(), &wrote) != 1) return fail(), false;
    return true;
  }
  for (unsigned i = 0; i < n; ++i) {
    if (bufs[i].len == 0) continue;
    size_t wrote = 0;  // without SSL_MODE_ENABLE_PARTIAL_WRITE, all of it or an error
    if (SSL_write_ex(ssl_, bufs[i].base, bufs[i].len, &wrote) != 1) return fail(), false;
  }
  return true;
}

void TlsSession::closeNotify() {
  if (!handshakeDone_ || failed_ || closeNotifySent_) return;
  closeNotifySent_ = true;
  ERR_clear_error();
  SSL_shutdown(ssl_);  // queues our close_notify; we do not wait for the peer's
  ERR_clear_error();
}

bool TlsSession::hasOutput() const { return BIO_ctrl_pending(out_) > 0; }

bool TlsSession::takeOutput(std::string& out) {
  size_t pending = BIO_ctrl_pending(out_);
  if (pending == 0) return false;
  size_t old = out.size();
  out.resize(old + pending);
  size_t got = 0;
  if (BIO_read_ex(out_, out.data() + old, pending, &got) != 1) got = 0;
  out.resize(old + got);
  return got > 0;
}

std::string TlsSession::alpn() const {
  const unsigned char* p = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl_, &p, &len);
  return p ? std::string(reinterpret_cast<const char*>(p), len) : std::string();
}

std::string TlsSession::version() const { return SSL_get_version(ssl_); }

}  // namespace cdnlab::http
