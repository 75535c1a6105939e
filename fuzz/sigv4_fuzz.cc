// libFuzzer target for SigV4 verification (common/auth/sigv4.h): any Authorization header,
// X-Amz-Date, path, query and body must verify or give DynamoDB's auth error, never crash.
// Input lines: Authorization, X-Amz-Date, Host, path, query, then the body.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/auth/sigv4.h"

using namespace cdnlab::auth;

namespace {
std::string_view nextLine(std::string_view& in) {
  size_t nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  return line;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view auth = nextLine(in);
  std::string_view date = nextLine(in);
  std::string_view host = nextLine(in);
  std::string_view path = nextLine(in);
  std::string_view query = nextLine(in);
  std::string_view body = in;
  SignedRequest req;
  req.method = "POST";
  req.path = path;
  req.query = query;
  req.body = body;
  req.header = [&](std::string_view name) -> std::optional<std::string> {
    if (name == "authorization") return auth.empty() ? std::nullopt : std::optional<std::string>(std::string(auth));
    if (name == "x-amz-date") return std::string(date);
    if (name == "host") return std::string(host);
    if (name == "x-amz-target") return std::string("DynamoDB_20120810.GetItem");
    return std::nullopt;
  };
  static const std::vector<Credential> keys = {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
  (void)verifySigV4(req, keys, 1440938160, "dynamodb");  // 2015-08-30T12:36:00Z, the AWS test suite's date
  if (auto t = parseAmzDate(date)) (void)formatAmzDate(*t);
  (void)canonicalRequest(req, "host;x-amz-date");
  return 0;
}
