// MOCK answers built once per snapshot (see mock_answer.h).
#include "gateway/runtime/mock_answer.h"

#include <string>

namespace cdnlab::gateway {

http::Headers mockHeaders(const MockResponse& mock) {
  http::Headers h;
  h.reserve(mock.headers.size() + 6);  // and room for apigw-requestid and CORS, added later
  if (!mock.body.empty()) h.add("content-type", mock.contentType);
  for (const auto& [k, v] : mock.headers) h.set(k, v);
  return h;
}

std::shared_ptr<const MockAnswer> compileMockAnswer(const MockResponse& mock) {
  std::string lines;
  for (const http::Header& f : mockHeaders(mock)) {
    for (std::string_view own : {"content-length", "transfer-encoding", "connection", "keep-alive", "date", "server"})
      if (http::equalsIgnoreCase(f.name, own)) return nullptr;
    lines.append(f.name).append(": ").append(f.value).append("\r\n");
  }
  auto m = std::make_shared<MockAnswer>();
  m->status = mock.statusCode;
  if (!lines.empty()) m->headerLines = Buffer(std::move(lines));
  m->body = Buffer(mock.body);
  return m;
}

}  // namespace cdnlab::gateway
