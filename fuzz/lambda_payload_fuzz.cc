// libFuzzer target for what the Lambda side parses from hostile bytes: a Lambda@Edge function's
// result (lambda/edge/result.h: the function's output goes to the PoP, so it must come back as a
// well-formed request or response, or a 502 naming the field), and the Invoke API's small
// parsers (lambda/function_model.h parseFunctionRef, lambda/codec.h percent/base64 decoding and
// query parameters). Byte 0 picks the trigger and which parser; never a crash or UB.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lambda/codec.h"
#include "lambda/edge/result.h"
#include "lambda/function_model.h"

using namespace cdnlab;
using namespace cdnlab::lambda;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void checkFields(const http::Headers& headers) {
  for (const auto& h : headers) {
    check(!h.name.empty());
    for (unsigned char c : h.name) check(c > 0x20 && c < 0x7f && c != ':');
    for (unsigned char c : h.value) check(c != '\r' && c != '\n' && c != '\0');
  }
}

void fuzzEdgeResult(edge::Trigger trigger, std::string_view json) {
  edge::EdgeRequest in;
  in.clientIp = "203.0.113.7";
  in.uri = "/index.html";
  in.querystring = "a=1";
  in.headers.add("host", "d111111abcdef8.cloudfront.net");
  in.headers.add("user-agent", "curl/8.0");
  if (trigger == edge::Trigger::OriginRequest || trigger == edge::Trigger::OriginResponse) {
    in.origin.emplace();
    in.origin->domainName = "origin.example";
    in.origin->port = 8080;
  }
  edge::EdgeResponse inResponse;
  inResponse.status = 200;
  inResponse.headers.add("content-type", "text/plain");
  bool responseTrigger = !edge::isRequestTrigger(trigger);
  auto r = edge::parseFunctionResult(trigger, json, in, responseTrigger ? &inResponse : nullptr);
  if (!r.ok()) {
    check(r.error().code == 502 && !r.error().message.empty());
    return;
  }
  if (r->generated()) {
    check(r->response.status >= 200 && r->response.status <= 599);
    for (unsigned char c : r->response.statusDescription) check(c != '\r' && c != '\n');
    checkFields(r->response.headers);
  } else {
    check(!responseTrigger);
    check(!r->request.uri.empty() && r->request.uri[0] == '/');
    for (unsigned char c : r->request.uri) check(c > 0x20 && c != 0x7f && c != '?' && c != '#');
    checkFields(r->request.headers);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 4) == 0) {
    fuzzEdgeResult(static_cast<edge::Trigger>(data[0] % edge::kTriggerCount), in);
    return 0;
  }
  auto ref = parseFunctionRef(in);
  if (ref.ok()) check(validFunctionName(ref->name) || !ref->name.empty());
  if (auto d = percentDecode(in)) check(d->size() <= in.size());
  if (auto b = base64Decode(in)) check(base64Encode(*b) == in);
  (void)queryParam(in, "Qualifier");
  return 0;
}
