// SigV4 verification: AWS's published Signature Version 4 test suite (AKIDEXAMPLE, 20150830,
// us-east-1, service "service"), a DynamoDB request signed by botocore with known values, and
// the DynamoDB error for each way a request can fail (all HTTP 400, coral namespace).
#include "common/auth/sigv4.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "origin/store/engine.h"
#include "origin/store/service.h"

namespace cdnlab::store {
namespace {

using namespace cdnlab::auth;

constexpr const char* kSuiteKey = "AKIDEXAMPLE";
constexpr const char* kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kSuiteDate = "20150830T123600Z";
constexpr const char* kSuiteScope = "20150830/us-east-1/service/aws4_request";
constexpr const char* kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// A request as the wire delivers it: header fields in arrival order, names in any case.
struct WireRequest {
  std::string method = "POST";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Same joining rule as the HTTP binding: repeated fields -> values joined with ",".
  SignedRequest view() const {
    SignedRequest r;
    r.method = method;
    r.path = path;
    r.query = query;
    r.body = body;
    r.header = [this](std::string_view lower) -> std::optional<std::string> {
      std::optional<std::string> out;
      for (const auto& [n, v] : headers) {
        std::string ln = n;
        for (auto& c : ln) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (ln != lower) continue;
        if (out) out->push_back(',');
        else out.emplace();
        out->append(v);
      }
      return out;
    };
    return r;
  }
};

// --- AWS Signature Version 4 test suite ---------------------------------------------------

TEST(SigV4Suite, GetVanilla) {
  WireRequest w{"GET", "/", "", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}}, ""};
  std::string creq = canonicalRequest(w.view(), "host;x-amz-date");
  EXPECT_EQ(creq, std::string("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                              "host;x-amz-date\n") + kEmptyHash);
  EXPECT_EQ(stringToSign(kSuiteDate, kSuiteScope, creq),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signatureFor(w.view(), kSuiteSecret, kSuiteDate, kSuiteScope, "host;x-amz-date"),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Suite, PostXWwwFormUrlencoded) {
  WireRequest w{"POST", "/", "",
                {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Host", "example.amazonaws.com"},
                 {"X-Amz-Date", kSuiteDate}},
                "Param1=value1"};
  std::string creq = canonicalRequest(w.view(), "content-type;host;x-amz-date");
  EXPECT_EQ(creq,
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(sha256Hex("Param1=value1"), "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(stringToSign(kSuiteDate, kSuiteScope, creq),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  EXPECT_EQ(signatureFor(w.view(), kSuiteSecret, kSuiteDate, kSuiteScope, "content-type;host;x-amz-date"),
            "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4Suite, GetHeaderKeyDuplicateJoinsValuesInArrivalOrder) {
  WireRequest w{"GET", "/", "",
                {{"Host", "example.amazonaws.com"},
                 {"My-Header1", "value2"},
                 {"My-Header1", "value2"},
                 {"My-Header1", "value1"},
                 {"X-Amz-Date", kSuiteDate}},
                ""};
  std::string creq = canonicalRequest(w.view(), "host;my-header1;x-amz-date");
  EXPECT_NE(creq.find("\nmy-header1:value2,value2,value1\n"), std::string::npos) << creq;
  std::string sts = stringToSign(kSuiteDate, kSuiteScope, creq);
  EXPECT_EQ(sts.substr(sts.rfind('\n') + 1), "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c");
  EXPECT_EQ(signatureFor(w.view(), kSuiteSecret, kSuiteDate, kSuiteScope, "host;my-header1;x-amz-date"),
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
}

TEST(SigV4Canonical, HeaderValuesTrimmedAndInnerSpacesCollapsed) {
  WireRequest w{"GET", "/", "", {{"HOST", "  example.amazonaws.com "}, {"My-Header2", "\"a   b \t c\""}}, ""};
  EXPECT_EQ(canonicalRequest(w.view(), "host;my-header2"),
            std::string("GET\n/\n\nhost:example.amazonaws.com\nmy-header2:\"a b c\"\n\nhost;my-header2\n") + kEmptyHash);
}

TEST(SigV4Canonical, QuerySortedByNameThenValueAndBareNamesGetEquals) {
  WireRequest w{"GET", "/", "b=2&a=z&a=y&flag", {}, ""};
  std::string creq = canonicalRequest(w.view(), "");
  EXPECT_EQ(creq.substr(0, creq.find("\n\n")), "GET\n/\na=y&a=z&b=2&flag=");
}

TEST(SigV4Canonical, PayloadHashCoversTheBody) {
  WireRequest a{"POST", "/", "", {{"host", "h"}}, "{}"}, b{"POST", "/", "", {{"host", "h"}}, "{ }"};
  EXPECT_NE(signatureFor(a.view(), "s", kSuiteDate, kSuiteScope, "host"),
            signatureFor(b.view(), "s", kSuiteDate, kSuiteScope, "host"));
  EXPECT_TRUE(canonicalRequest(a.view(), "host").ends_with(sha256Hex("{}")));
}

TEST(SigV4Canonical, ScopeMustHaveFourParts) {
  WireRequest w{"GET", "/", "", {{"host", "h"}}, ""};
  EXPECT_EQ(signatureFor(w.view(), "s", kSuiteDate, "20150830/us-east-1/service", "host"), "");
}

TEST(SigV4Date, ParseAndFormatRoundTrip) {
  EXPECT_EQ(parseAmzDate("20150830T123600Z"), 1440938160);
  EXPECT_EQ(parseAmzDate("19700101T000000Z"), 0);
  EXPECT_EQ(parseAmzDate("20240229T235959Z"), 1709251199);
  EXPECT_EQ(formatAmzDate(1440938160), "20150830T123600Z");
  EXPECT_FALSE(parseAmzDate("2015-08-30T12:36:00Z"));
  EXPECT_FALSE(parseAmzDate("20151330T123600Z"));
  EXPECT_FALSE(parseAmzDate("20150830T123600"));
  EXPECT_FALSE(parseAmzDate("2015083OT123600Z"));
}

// --- verifySigV4 on a DynamoDB request ------------------------------------------------------
// Signed by botocore 1.x (SigV4Auth, service "dynamodb", region us-east-1) at 2026-11-25 16:00:00
// UTC with AKIDTEST / secret123: an independent implementation produced this signature.

constexpr int64_t kSignedAt = 1795622400;  // 20261125T160000Z
const std::vector<Credential> kKeys = {{"AKIDOTHER", "other"}, {"AKIDTEST", "secret123"}};

WireRequest dynamoRequest() {
  WireRequest w;
  w.headers = {
      {"Host", "127.0.0.1:8000"},
      {"Content-Type", "application/x-amz-json-1.0"},
      {"X-Amz-Target", "DynamoDB_20120810.GetItem"},
      {"X-Amz-Date", "20261125T160000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261125/us-east-1/dynamodb/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
       "Signature=79e90713296ea0e0e8204429d81365a5035e4b86d58fbe40580e131298e375e2"},
  };
  w.body = R"({"TableName":"Music","Key":{"Artist":{"S":"No One You Know"}}})";
  return w;
}

void setHeader(WireRequest& w, const std::string& name, const std::string& value) {
  for (auto& [n, v] : w.headers)
    if (n == name) v = value;
}

void expectError(const std::optional<SigV4Error>& e, const std::string& type, const std::string& messagePrefix) {
  ASSERT_TRUE(e.has_value()) << "expected " << type;
  EXPECT_EQ(e->type, std::string(kCoralPrefix) + type);
  EXPECT_EQ(e->status, 400);
  EXPECT_EQ(e->message.substr(0, messagePrefix.size()), messagePrefix) << e->message;
}

const char* kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
    "and signing method. Consult the service documentation for details.";

TEST(SigV4Verify, BotocoreSignedDynamoRequestIsAccepted) {
  WireRequest w = dynamoRequest();
  auto e = verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb");
  EXPECT_FALSE(e.has_value()) << e->type << ": " << e->message;
  // Any time inside the window works.
  EXPECT_FALSE(verifySigV4(w.view(), kKeys, kSignedAt + kMaxClockSkewSeconds, "dynamodb").has_value());
  EXPECT_FALSE(verifySigV4(w.view(), kKeys, kSignedAt - kMaxClockSkewSeconds, "dynamodb").has_value());
}

TEST(SigV4Verify, MissingAuthorization) {
  WireRequest w = dynamoRequest();
  w.headers.pop_back();
  expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "MissingAuthenticationTokenException",
              "Request is missing Authentication Token");
}

TEST(SigV4Verify, UnknownAccessKey) {
  WireRequest w = dynamoRequest();
  std::vector<Credential> others = {{"AKIDOTHER", "secret123"}};
  auto e = verifySigV4(w.view(), others, kSignedAt, "dynamodb");
  expectError(e, "UnrecognizedClientException", "The security token included in the request is invalid.");
  EXPECT_EQ(e->message, "The security token included in the request is invalid.");
}

TEST(SigV4Verify, WrongSecretIsASignatureMismatch) {
  WireRequest w = dynamoRequest();
  std::vector<Credential> wrong = {{"AKIDTEST", "secret124"}};
  auto e = verifySigV4(w.view(), wrong, kSignedAt, "dynamodb");
  expectError(e, "InvalidSignatureException", kMismatch);
  EXPECT_EQ(e->message, kMismatch);
}

TEST(SigV4Verify, TamperedRequestIsASignatureMismatch) {
  {
    WireRequest w = dynamoRequest();
    w.body = R"({"TableName":"Music","Key":{"Artist":{"S":"Someone Else"}}})";
    expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "InvalidSignatureException", kMismatch);
  }
  {
    WireRequest w = dynamoRequest();
    setHeader(w, "X-Amz-Target", "DynamoDB_20120810.DeleteItem");
    expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "InvalidSignatureException", kMismatch);
  }
  {
    WireRequest w = dynamoRequest();
    w.query = "x=1";
    expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "InvalidSignatureException", kMismatch);
  }
  {
    // A signed header sent twice changes its canonical value.
    WireRequest w = dynamoRequest();
    w.headers.emplace_back("x-amz-target", "DynamoDB_20120810.GetItem");
    expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "InvalidSignatureException", kMismatch);
  }
  {
    // Unsigned headers may change freely.
    WireRequest w = dynamoRequest();
    w.headers.emplace_back("User-Agent", "anything");
    EXPECT_FALSE(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb").has_value());
  }
}

TEST(SigV4Verify, HeaderCaseAndAuthorizationSpacingDoNotMatter) {
  WireRequest w = dynamoRequest();
  for (auto& [n, v] : w.headers) n = (n == "Authorization") ? "AUTHORIZATION" : n;
  std::string auth = w.headers.back().second;
  // botocore separates with ", "; other clients send "," only.
  for (size_t p; (p = auth.find(", ")) != std::string::npos;) auth.erase(p + 1, 1);
  w.headers.back().second = auth;
  EXPECT_FALSE(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb").has_value());
}

TEST(SigV4Verify, ClockSkewBeyondFifteenMinutes) {
  WireRequest w = dynamoRequest();
  auto late = verifySigV4(w.view(), kKeys, kSignedAt + kMaxClockSkewSeconds + 1, "dynamodb");
  expectError(late, "InvalidSignatureException", "Signature expired: ");
  EXPECT_EQ(late->message,
            "Signature expired: 20261125T160000Z is now earlier than 20261125T160001Z "
            "(20261125T161501Z - 15 min.)");
  auto early = verifySigV4(w.view(), kKeys, kSignedAt - kMaxClockSkewSeconds - 1, "dynamodb");
  expectError(early, "InvalidSignatureException", "Signature not yet current: ");
  EXPECT_EQ(early->message,
            "Signature not yet current: 20261125T160000Z is still later than 20261125T155959Z "
            "(20261125T154459Z + 15 min.)");
}

TEST(SigV4Verify, CredentialScopeIsChecked) {
  auto withCredential = [](const std::string& cred) {
    WireRequest w = dynamoRequest();
    std::string& auth = w.headers.back().second;
    size_t b = auth.find("Credential=") + 11, e = auth.find(',', b);
    auth.replace(b, e - b, cred);
    return w;
  };
  expectError(verifySigV4(withCredential("AKIDTEST/20261125/us-east-1/s3/aws4_request").view(), kKeys, kSignedAt, "dynamodb"),
              "InvalidSignatureException", "Credential should be scoped to correct service: 'dynamodb'.");
  expectError(verifySigV4(withCredential("AKIDTEST/20261126/us-east-1/dynamodb/aws4_request").view(), kKeys, kSignedAt, "dynamodb"),
              "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD");
  expectError(verifySigV4(withCredential("AKIDTEST/20261125/us-east-1/dynamodb/aws5_request").view(), kKeys, kSignedAt, "dynamodb"),
              "InvalidSignatureException", "Credential should be scoped with a valid terminator");
  expectError(verifySigV4(withCredential("AKIDTEST/20261125/dynamodb/aws4_request").view(), kKeys, kSignedAt, "dynamodb"),
              "IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements");
  // Another region is a different signing key: a plain mismatch, not a scope error.
  expectError(verifySigV4(withCredential("AKIDTEST/20261125/eu-west-1/dynamodb/aws4_request").view(), kKeys, kSignedAt, "dynamodb"),
              "InvalidSignatureException", kMismatch);
}

TEST(SigV4Verify, MalformedAuthorizationIsAnsweredNotCrashed) {
  const char* bad[] = {"", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "Bearer abc", "AWS4-HMAC-SHA256 Credential=",
                       "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261125/us-east-1/dynamodb/aws4_request",
                       "AWS4-HMAC-SHA256 ,,,==,", "AWS4-HMAC-SHA256 Credential=/,SignedHeaders=;,Signature=x"};
  for (const char* a : bad) {
    WireRequest w = dynamoRequest();
    w.headers.back().second = a;
    auto e = verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb");
    ASSERT_TRUE(e.has_value()) << a;
    EXPECT_EQ(e->status, 400) << a;
    EXPECT_EQ(e->type.substr(0, std::string(kCoralPrefix).size()), kCoralPrefix) << a;
  }
  WireRequest w = dynamoRequest();
  w.headers.back().second = "AWS4-HMAC-SHA256 SignedHeaders=host";
  expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "IncompleteSignatureException",
              "Authorization header requires 'Credential' parameter.");
}

TEST(SigV4Verify, MissingOrBadAmzDate) {
  WireRequest w = dynamoRequest();
  std::erase_if(w.headers, [](const auto& h) { return h.first == "X-Amz-Date"; });
  expectError(verifySigV4(w.view(), kKeys, kSignedAt, "dynamodb"), "IncompleteSignatureException",
              "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  WireRequest v = dynamoRequest();
  setHeader(v, "X-Amz-Date", "yesterday");
  expectError(verifySigV4(v.view(), kKeys, kSignedAt, "dynamodb"), "IncompleteSignatureException",
              "Date must be in ISO-8601 'basic format'.");
}

// --- through Service::handleRequest (auth on) ----------------------------------------------

class SigV4ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions eo;
    eo.inMemory = true;
    auto e = Engine::open(eo);
    ASSERT_TRUE(e.ok()) << e.error().message;
    engine_ = std::move(*e);
    ServiceOptions so;
    so.ttlSweepIntervalMs = 0;
    so.auth = true;
    so.credentials = kKeys;
    service_ = std::make_unique<Service>(*engine_, so, clock_);
    ASSERT_TRUE(service_->start().ok());
  }
  void TearDown() override {
    service_.reset();
    engine_->close();
  }
  ApiResponse call(const WireRequest& w) {
    SignedRequest v = w.view();
    return service_->handleRequest("DynamoDB_20120810.GetItem", w.body, v.header, w.method, w.path, w.query);
  }
  FakeClock clock_{1'000'000'000, kSignedAt};
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
};

TEST_F(SigV4ServiceTest, SignedRequestReachesTheOperation) {
  ApiResponse r = call(dynamoRequest());
  // Verified, then the operation runs: the table does not exist.
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("ResourceNotFoundException"), std::string::npos) << r.body;
}

TEST_F(SigV4ServiceTest, FailuresAreCoralErrorsWithHttp400) {
  WireRequest unsigned_ = dynamoRequest();
  unsigned_.headers.pop_back();
  ApiResponse r = call(unsigned_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"__type":"com.amazon.coral.service#MissingAuthenticationTokenException",)"
            R"("message":"Request is missing Authentication Token"})");
  clock_.setWall(kSignedAt + 16 * 60);
  r = call(dynamoRequest());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("com.amazon.coral.service#InvalidSignatureException"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Signature expired"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace cdnlab::store
