// MockAnswer: an HTTP API's MOCK integration answered from parts built once, when the snapshot is
// compiled, instead of per request: the header lines and the body are shared Buffers that every
// answer points at (no copy, no allocation). The request path adds only apigw-requestid.
#pragma once

#include <memory>

#include "common/buffer.h"
#include "common/http/message.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

struct MockAnswer {
  int status = 200;
  Buffer headerLines;  // complete "name: value\r\n" lines (http::Response::headerBlock)
  Buffer body;
};

// The answer's fields exactly as the per-request path sets them (content type when there is a
// body, then the mock's headers, which replace it). nullptr when a field is one the server
// decides itself (framing, Connection, Date, Server): verbatim lines cannot be checked against
// those, so such a mock keeps the per-request path.
std::shared_ptr<const MockAnswer> compileMockAnswer(const MockResponse& mock);

// The per-request fields of a mock answer (also what compileMockAnswer serializes).
http::Headers mockHeaders(const MockResponse& mock);

}  // namespace cdnlab::gateway
