// libFuzzer target for the server side of common/http's TLS stage (tls.h): whatever bytes a
// client sends in place of a handshake, cut into pieces anywhere, must end in a completed
// handshake, a clean failure or a wait for more, never a crash, a hang, a sanitizer report or
// plaintext before the handshake is done. Byte 0 picks the piece size. The certificate is made
// at start-up (no key in the repository); the seed corpus holds real ClientHellos.
#include <openssl/err.h>
#include <stdlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/http/tls.h"
#include "tests/common/http/tls_test_cert.h"

using namespace cdnlab::http;

namespace {

std::shared_ptr<TlsContext> makeContext() {
  char tmpl[] = "/tmp/cdnlab-tls-fuzz.XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  testing::TestCert cert = testing::makeTestCert(tmpl);
  if (!cert.ok) std::abort();
  auto ctx = TlsContext::load(cert.certFile, cert.keyFile);
  std::remove(cert.certFile.c_str());
  std::remove(cert.keyFile.c_str());
  std::remove(tmpl);
  if (!ctx) {
    std::fprintf(stderr, "tls_handshake_fuzz: %s\n", ctx.error().message.c_str());
    std::abort();
  }
  return *ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::shared_ptr<TlsContext> ctx = makeContext();
  if (size == 0) return 0;
  size_t piece = data[0] == 0 ? size : data[0];
  auto session = TlsSession::create(*ctx);
  if (!session) return 0;
  std::string plain, out;
  const char* p = reinterpret_cast<const char*>(data + 1);
  size_t left = size - 1;
  while (left > 0) {
    size_t n = std::min(piece, left);
    TlsSession::Status st = session->feed(p, n, plain);
    p += n;
    left -= n;
    session->takeOutput(out);
    if (!session->handshakeDone() && !plain.empty()) std::abort();  // plaintext without a handshake
    if (st == TlsSession::Status::Failed && !session->failed()) std::abort();
    if (st != TlsSession::Status::Ok) break;
  }
  if (session->failed() && session->feed("x", 1, plain) != TlsSession::Status::Failed) std::abort();
  session->closeNotify();
  session->takeOutput(out);
  if (ERR_peek_error() != 0) std::abort();  // an error left for the next connection of this thread
  return 0;
}
