// libFuzzer target for the gateway's Lambda proxy integration (gateway/integrations/proxy_event.h).
// A function's answer is hostile: readProxyResponse must give a valid HTTP response (status
// 100-599, header names that are tokens, values without CR, LF or NUL: no response splitting)
// or a 502, for payload format 2.0 and 1.0. A client's request is hostile too: the events built
// from arbitrary method, path, query, headers and body must be valid JSON. Byte 0 picks.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/integrations/proxy_event.h"

using namespace cdnlab;
using namespace cdnlab::gateway;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool isTchar(unsigned char c) {  // RFC 9110 5.6.2
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

void checkResponse(const http::Response& r) {
  check(r.status >= 100 && r.status <= 599);
  for (const auto& h : r.headers) {
    check(!h.name.empty());
    for (unsigned char c : h.name) check(isTchar(c));
    for (unsigned char c : h.value) check(c != '\r' && c != '\n' && c != '\0');
  }
}

bool validJson(const std::string& s) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(s.data(), s.size());
  return !d.HasParseError() && d.IsObject();
}

// "method\npath\nquery\nname: value\n...\n\nbody": the pieces of a request as the gateway saw it.
void fuzzEvent(std::string_view in) {
  auto take = [&in] {
    size_t nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return line;
  };
  http::Headers headers;
  StringMap stageVariables;
  stageVariables["v"] = "1";
  ProxyRequest r;
  r.method = take();
  r.rawPath = take();
  r.rawQuery = take();
  for (std::string_view line = take(); !line.empty(); line = take()) {
    size_t colon = line.find(':');
    headers.add(line.substr(0, colon), colon == std::string_view::npos ? "" : line.substr(colon + 1));
  }
  r.headers = &headers;
  r.body = in;
  r.routeKey = "ANY /{proxy+}";
  r.resourcePath = "/{proxy+}";
  r.pathParameters = {{"proxy", std::string(r.rawPath)}};
  r.stageVariables = &stageVariables;
  r.timeEpochMs = 1700000000000;
  check(validJson(buildEventV2(r)));
  check(validJson(buildEventV1(r)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
    case 1: {
      auto r = readProxyResponse(in, data[0] % 3 == 0 ? "2.0" : "1.0");
      if (r.ok()) checkResponse(*r);
      else check(r.error().code == 502 && !r.error().message.empty());
      break;
    }
    default:
      fuzzEvent(in);
  }
  auto decoded = base64Decode(in);
  if (decoded.ok()) (void)base64Encode(*decoded);
  return 0;
}
