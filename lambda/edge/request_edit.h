// A typed, in-process edit of the request at the request triggers (viewer-request,
// origin-request), for native functions compiled into the PoP. Instead of reading a Lambda@Edge
// event as JSON and writing the request back as JSON for the PoP to parse and validate, a typed
// handler reads the request's fields here and changes them through setters that apply the same
// checks as parseFunctionResult (result.h), at the moment of the change: an invalid change makes
// the result a 502, as an invalid JSON result does. Same outcomes, no JSON on either side.
//
// Process runtimes and shared-object plugins keep the JSON event (event.h): that is the
// Lambda@Edge contract. A built-in offers both entry points, and tests hold them to the same
// answers. Pure: no threads, no I/O; runs on the worker-pool thread that runs the function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "lambda/edge/event.h"
#include "lambda/edge/result.h"

namespace cdnlab::lambda::edge {

class RequestEdit {
 public:
  // `request` is the request the function was given; the edit changes it in place and take()
  // moves it into the result.
  RequestEdit(Trigger trigger, EdgeRequest& request, const ResultLimits& limits = {});

  Trigger trigger() const { return trigger_; }
  const EdgeRequest& request() const { return request_; }
  // The first value of header `name` (any case).
  std::optional<std::string_view> header(std::string_view name) const { return request_.headers.get(name); }

  // Each returns false when CloudFront would refuse the change; the edit then ends in a 502
  // naming it, whatever the handler does next.
  bool setUri(std::string_view uri);
  bool setQuerystring(std::string_view query);
  bool setHeader(std::string_view name, std::string_view value);  // replaces every value of `name`
  bool removeHeader(std::string_view name);
  // Answers the viewer with a generated response instead (a redirect, a 403, ...): headers and
  // body are checked against the generated-response rules and size limit of the trigger.
  bool respond(int status, std::string_view description, http::Headers headers, std::string body);

  // The handler failed (as set_error does): the PoP answers 503 for this request.
  void fail(std::string type, std::string message);
  bool failed() const { return !errorType_.empty(); }
  const std::string& errorType() const { return errorType_; }
  const std::string& errorMessage() const { return errorMessage_; }

  bool changed() const { return changed_; }
  // What the PoP applies: the request (changed or not), the generated response, or the first
  // refused change (Error 502). Call once, after the handler returned without failing.
  Result<FunctionResult> take();

 private:
  bool refuse(std::string why);
  bool headerChangeAllowed(std::string_view name);

  Trigger trigger_;
  EdgeRequest& request_;
  ResultLimits limits_;
  bool changed_ = false;
  std::optional<FunctionResult> generated_;
  std::optional<Error> invalid_;
  std::string errorType_;
  std::string errorMessage_;
};

// A typed request handler: CDNLAB_NATIVE_OK, or CDNLAB_NATIVE_ERROR after edit.fail().
using EdgeRequestHandler = int (*)(RequestEdit& edit, void* userData);

}  // namespace cdnlab::lambda::edge
