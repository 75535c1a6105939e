// The TLS stage (common/http/tls.h) against a real OpenSSL client: in memory (handshake byte by
// byte, ALPN, data both ways, close_notify, garbage, certificate errors) and on a real HttpServer
// socket (HTTPS request, plain HTTP refused, a stalled handshake closed by the header timeout).
#include "common/http/tls.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/http/server.h"
#include "tests/common/http/raw_client.h"
#include "tests/common/http/tls_test_cert.h"

namespace cdnlab::http {
namespace {

namespace fs = std::filesystem;
using testing::RawClient;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cdnlab-tls-test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    cert_ = testing::makeTestCert(dir_);
    ASSERT_TRUE(cert_.ok);
    auto ctx = TlsContext::load(cert_.certFile, cert_.keyFile);
    ASSERT_TRUE(ctx) << ctx.error().message;
    ctx_ = *ctx;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  testing::TestCert cert_;
  std::shared_ptr<TlsContext> ctx_;
};

// An OpenSSL client in memory that trusts the test certificate and checks the host name.
class MemoryClient {
 public:
  MemoryClient(const std::string& caFile, const char* alpn = nullptr, size_t alpnLen = 0) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx_, caFile.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(ctx_);
    SSL_set1_host(ssl_, "localhost");
    SSL_set_tlsext_host_name(ssl_, "localhost");
    if (alpn) SSL_set_alpn_protos(ssl_, reinterpret_cast<const unsigned char*>(alpn), static_cast<unsigned>(alpnLen));
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in_, -1);
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_connect_state(ssl_);
  }
  ~MemoryClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }
  SSL* ssl() { return ssl_; }
  std::string takeOutput() {
    std::string s(BIO_ctrl_pending(out_), '\0');
    if (!s.empty()) BIO_read(out_, s.data(), static_cast<int>(s.size()));
    return s;
  }
  void give(const std::string& bytes) { BIO_write(in_, bytes.data(), static_cast<int>(bytes.size())); }
  int handshake() { return SSL_do_handshake(ssl_); }
  std::string read() {
    std::string out;
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl_, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    ERR_clear_error();
    return out;
  }

 private:
  SSL_CTX* ctx_;
  SSL* ssl_;
  BIO* in_;
  BIO* out_;
};

// Runs the handshake between the two in memory, `chunk` bytes at a time towards the server.
// Returns the server's last status; plaintext the server decrypted goes to `plain`.
TlsSession::Status pump(MemoryClient& client, TlsSession& server, std::string& plain, size_t chunk = 1 << 20) {
  TlsSession::Status st = TlsSession::Status::Ok;
  for (int round = 0; round < 20; ++round) {
    int rc = client.handshake();
    std::string toServer = client.takeOutput();
    for (size_t off = 0; off < toServer.size() && st == TlsSession::Status::Ok; off += chunk)
      st = server.feed(toServer.data() + off, std::min(chunk, toServer.size() - off), plain);
    std::string toClient;
    server.takeOutput(toClient);
    client.give(toClient);
    if (st != TlsSession::Status::Ok) break;
    if (rc == 1 && server.handshakeDone() && toServer.empty() && toClient.empty()) break;
  }
  ERR_clear_error();
  return st;
}

TEST_F(TlsTest, HandshakeChoosesHttp11AndCarriesDataBothWays) {
  static const char kAlpn[] = "\x02h2\x08http/1.1";
  MemoryClient client(cert_.certFile, kAlpn, sizeof kAlpn - 1);
  auto server = TlsSession::create(*ctx_);
  ASSERT_NE(server, nullptr);
  std::string plain;
  ASSERT_EQ(pump(client, *server, plain), TlsSession::Status::Ok);
  ASSERT_TRUE(server->handshakeDone());
  EXPECT_EQ(server->alpn(), "http/1.1");
  EXPECT_EQ(server->version(), "TLSv1.3");
  EXPECT_EQ(SSL_get_verify_result(client.ssl()), X509_V_OK);  // the client checked our certificate

  const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(SSL_write(client.ssl(), request.data(), static_cast<int>(request.size())), static_cast<int>(request.size()));
  std::string records = client.takeOutput();
  EXPECT_EQ(records.find("Host: localhost"), std::string::npos);  // encrypted on the wire
  ASSERT_EQ(server->feed(records.data(), records.size(), plain), TlsSession::Status::Ok);
  EXPECT_EQ(plain, request);

  // A head and a body in one call, and a body larger than one record.
  std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 40000\r\n\r\n", body(40000, 'x');
  uv_buf_t bufs[2] = {uv_buf_init(head.data(), static_cast<unsigned>(head.size())),
                      uv_buf_init(body.data(), static_cast<unsigned>(body.size()))};
  ASSERT_TRUE(server->encrypt(bufs, 2));
  std::string out;
  ASSERT_TRUE(server->takeOutput(out));
  EXPECT_FALSE(server->hasOutput());
  client.give(out);
  EXPECT_EQ(client.read(), head + body);

  // The client's close_notify is the end of the stream.
  SSL_shutdown(client.ssl());
  records = client.takeOutput();
  plain.clear();
  EXPECT_EQ(server->feed(records.data(), records.size(), plain), TlsSession::Status::PeerClosed);
  EXPECT_TRUE(plain.empty());
}

TEST_F(TlsTest, HandshakeArrivingOneByteAtATimeCompletes) {
  MemoryClient client(cert_.certFile);
  auto server = TlsSession::create(*ctx_);
  std::string plain;
  ASSERT_EQ(pump(client, *server, plain, 1), TlsSession::Status::Ok);
  EXPECT_TRUE(server->handshakeDone());
  EXPECT_EQ(server->alpn(), "");  // no ALPN offered: none chosen, the handshake still succeeds
}

TEST_F(TlsTest, ServerSendsCloseNotifyOnce) {
  MemoryClient client(cert_.certFile);
  auto server = TlsSession::create(*ctx_);
  std::string plain;
  ASSERT_EQ(pump(client, *server, plain), TlsSession::Status::Ok);
  server->closeNotify();
  std::string alert;
  ASSERT_TRUE(server->takeOutput(alert));
  server->closeNotify();
  EXPECT_FALSE(server->hasOutput());
  client.give(alert);
  char b[16];
  EXPECT_EQ(SSL_read(client.ssl(), b, sizeof b), 0);
  EXPECT_EQ(SSL_get_error(client.ssl(), 0), SSL_ERROR_ZERO_RETURN);
  ERR_clear_error();
}

TEST_F(TlsTest, ClientWithoutHttp11InAlpnGetsAFatalAlert) {
  static const char kAlpn[] = "\x02h2";
  MemoryClient client(cert_.certFile, kAlpn, sizeof kAlpn - 1);
  auto server = TlsSession::create(*ctx_);
  std::string plain;
  EXPECT_EQ(pump(client, *server, plain), TlsSession::Status::Failed);
  EXPECT_TRUE(server->failed());
  EXPECT_FALSE(server->handshakeDone());
  EXPECT_NE(server->failure().find("application protocol"), std::string::npos) << server->failure();
}

TEST_F(TlsTest, PlainHttpAndGarbageFailWithoutPlaintext) {
  for (std::string junk : {std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), std::string(3000, '\x16'),
                           std::string("\x16\x03\x01\xff\xff", 5) + std::string(70000, 'A')}) {
    auto server = TlsSession::create(*ctx_);
    std::string plain;
    EXPECT_EQ(server->feed(junk.data(), junk.size(), plain), TlsSession::Status::Failed) << junk.substr(0, 20);
    EXPECT_TRUE(plain.empty());
    EXPECT_FALSE(server->failure().empty());
    // A failed session stays failed and encrypts nothing.
    EXPECT_EQ(server->feed("x", 1, plain), TlsSession::Status::Failed);
    uv_buf_t b = uv_buf_init(junk.data(), 1);
    EXPECT_FALSE(server->encrypt(&b, 1));
  }
  EXPECT_EQ(ERR_peek_error(), 0u);  // nothing left in this thread's error queue for the next connection
}

TEST_F(TlsTest, NothingIsEncryptedBeforeTheHandshake) {
  auto server = TlsSession::create(*ctx_);
  std::string data = "HTTP/1.1 408 Request Timeout\r\n\r\n";
  uv_buf_t b = uv_buf_init(data.data(), static_cast<unsigned>(data.size()));
  EXPECT_FALSE(server->encrypt(&b, 1));
  EXPECT_FALSE(server->hasOutput());
}

TEST_F(TlsTest, LoadNamesTheFileAndTheProblem) {
  auto missing = TlsContext::load(dir_ + "/nope.crt", cert_.keyFile);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.crt: cannot read"), std::string::npos) << missing.error().message;

  std::ofstream(dir_ + "/junk.pem") << "not a certificate\n";
  auto junk = TlsContext::load(dir_ + "/junk.pem", cert_.keyFile);
  ASSERT_FALSE(junk);
  EXPECT_NE(junk.error().message.find("junk.pem: not a PEM certificate"), std::string::npos) << junk.error().message;

  auto keyJunk = TlsContext::load(cert_.certFile, dir_ + "/junk.pem");
  ASSERT_FALSE(keyJunk);
  EXPECT_NE(keyJunk.error().message.find("junk.pem: not a PEM private key"), std::string::npos) << keyJunk.error().message;

  testing::TestCert other = testing::makeTestCert(dir_, "other");
  ASSERT_TRUE(other.ok);
  auto mismatch = TlsContext::load(cert_.certFile, other.keyFile);
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.error().message.find("does not match the certificate"), std::string::npos) << mismatch.error().message;
  EXPECT_EQ(ERR_peek_error(), 0u);
}

// --- on a real server socket -------------------------------------------------------------------

class TlsServerTest : public TlsTest {
 protected:
  void startServer(uint64_t headerTimeoutMs = 10000) {
    ServerOptions opt;
    opt.port = 0;
    opt.workers = 1;
    opt.tls = ctx_;
    opt.headerTimeoutMs = headerTimeoutMs;
    server_ = std::make_unique<HttpServer>(opt, [](const RequestContextPtr& ctx) {
      ctx->respond(Response(200, "hello over " + ctx->request().method + " " + ctx->request().path));
    });
    auto port = server_->start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
  }
  void TearDown() override {
    if (server_) server_->stop(1000);
    TlsTest::TearDown();
  }
  // Drives the handshake of `client` over the raw socket; true when done.
  static bool handshakeOver(RawClient& raw, MemoryClient& client) {
    for (int round = 0; round < 10; ++round) {
      int rc = client.handshake();
      std::string out = client.takeOutput();
      if (!out.empty() && !raw.send(out)) return false;
      if (rc == 1) return true;
      if (SSL_get_error(client.ssl(), rc) != SSL_ERROR_WANT_READ) return false;
      if (!raw.readSome(std::chrono::steady_clock::now() + std::chrono::seconds(5))) return false;
      client.give(raw.buffered());
      raw.consume(raw.buffered().size());
    }
    return false;
  }

  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(TlsServerTest, AnswersAnHttpsRequestOnAKeptAliveConnection) {
  startServer();
  RawClient raw(port_);
  ASSERT_TRUE(raw.connected());
  MemoryClient client(cert_.certFile, "\x08http/1.1", 9);
  ASSERT_TRUE(handshakeOver(raw, client));
  for (const char* path : {"/one", "/two"}) {
    std::string req = std::string("GET ") + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    SSL_write(client.ssl(), req.data(), static_cast<int>(req.size()));
    ASSERT_TRUE(raw.send(client.takeOutput()));
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (got.find(std::string("hello over GET ") + path) == std::string::npos) {
      ASSERT_TRUE(raw.readSome(deadline)) << got;
      client.give(raw.buffered());
      raw.consume(raw.buffered().size());
      got += client.read();
    }
    EXPECT_EQ(got.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << got;
  }
  EXPECT_EQ(server_->stats().tlsHandshakes.load(), 1u);
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortIsClosedAndTheServerKeepsServing) {
  startServer();
  {
    RawClient raw(port_);
    ASSERT_TRUE(raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(raw.waitClosed(5000));  // closed, with at most an alert: never an HTTP answer
    EXPECT_EQ(raw.buffered().find("HTTP/1.1"), std::string::npos);
  }
  RawClient raw(port_);
  MemoryClient client(cert_.certFile);
  EXPECT_TRUE(handshakeOver(raw, client));
  EXPECT_GE(server_->stats().tlsFailures.load(), 1u);
}

TEST_F(TlsServerTest, AStalledHandshakeIsClosedByTheHeaderTimeout) {
  startServer(300);
  RawClient raw(port_);
  MemoryClient client(cert_.certFile);
  client.handshake();
  std::string hello = client.takeOutput();
  ASSERT_GT(hello.size(), 10u);
  ASSERT_TRUE(raw.send(hello.substr(0, 10)));  // part of the ClientHello, then nothing
  EXPECT_TRUE(raw.waitClosed(5000));
  EXPECT_EQ(raw.buffered().find("HTTP/1.1"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::http
