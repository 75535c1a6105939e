// What an edge function returned, parsed and validated as CloudFront does before the PoP uses
// it. A request trigger may return the (modified) request or a generated response (it has a
// `status`); a response trigger returns the (modified) response. Anything else - invalid JSON,
// a wrong type, a changed read-only header or field, a disallowed header, a value with CR/LF,
// a response over the size limit - is an Error with code 502 and a message naming the field, as
// CloudFront answers 502 with "The Lambda function result failed validation". Pure.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "lambda/edge/event.h"

namespace cdnlab::lambda::edge {

// CloudFront's Lambda@Edge quotas on what a function returns.
struct ResultLimits {
  size_t viewerGeneratedBytes = 40 * 1024;   // generated response at viewer-request (headers + body)
  size_t originGeneratedBytes = 1024 * 1024; // generated at origin-request / replaced at origin-response
  size_t maxUriBytes = 8192;                 // our bound: longer URIs are refused by most origins anyway
  size_t maxQueryBytes = 8192;
  size_t maxHeaderBytes = 20 * 1024;         // all header names + values of the returned message
  size_t maxHeaderFields = 100;
};

struct FunctionResult {
  enum class Kind { Request, Response };
  Kind kind = Kind::Request;
  EdgeRequest request;    // Kind::Request: the request to continue with
  EdgeResponse response;  // Kind::Response: the generated or modified response
  bool hasBody = false;   // the response carries `body` (decoded): replace the body with it
  bool requestUnchanged = false;  // Kind::Request from a typed edit that changed nothing
  std::string body;
  bool generated() const { return kind == Kind::Response; }
};

// `in` / `inResponse` are what the function was given (the event), for the read-only checks.
Result<FunctionResult> parseFunctionResult(Trigger trigger, std::string_view json, const EdgeRequest& in,
                                           const EdgeResponse* inResponse, const ResultLimits& limits = {});

// The field checks parseFunctionResult applies, shared with typed in-process edits
// (request_edit.h) so both paths refuse the same results.
bool validResultUri(std::string_view uri);      // starts with '/', no spaces, controls, '?' or '#'
bool validResultQuery(std::string_view query);  // no spaces, controls or '#'
bool validHeaderName(std::string_view name);    // an RFC 9110 token
bool validHeaderValue(std::string_view value);  // no CR, LF or NUL

// Headers CloudFront never shows a function and refuses in its result (hop-by-hop and its own).
bool isDisallowedHeader(std::string_view name);
// Headers a function at `trigger` may see but not add, change or remove.
bool isReadOnlyHeader(Trigger trigger, std::string_view name);

}  // namespace cdnlab::lambda::edge
