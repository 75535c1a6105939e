// Typed request edits (request_edit.h): CloudFront's result rules applied per change.
#include "lambda/edge/request_edit.h"

namespace cdnlab::lambda::edge {

RequestEdit::RequestEdit(Trigger trigger, EdgeRequest& request, const ResultLimits& limits)
    : trigger_(trigger), request_(request), limits_(limits) {}

bool RequestEdit::refuse(std::string why) {
  if (!invalid_) invalid_ = Error{502, "The Lambda function result failed validation: " + why};
  return false;
}

bool RequestEdit::setUri(std::string_view uri) {
  if (uri.size() > limits_.maxUriBytes) return refuse("request.uri is longer than " + std::to_string(limits_.maxUriBytes) + " bytes");
  if (!validResultUri(uri)) return refuse("request.uri must start with '/' and contain no spaces, controls, '?' or '#'");
  if (uri != request_.uri) {
    request_.uri.assign(uri);
    changed_ = true;
  }
  return true;
}

bool RequestEdit::setQuerystring(std::string_view query) {
  if (query.size() > limits_.maxQueryBytes)
    return refuse("request.querystring is longer than " + std::to_string(limits_.maxQueryBytes) + " bytes");
  if (!validResultQuery(query)) return refuse("request.querystring contains spaces, controls or '#'");
  if (query != request_.querystring) {
    request_.querystring.assign(query);
    changed_ = true;
  }
  return true;
}

bool RequestEdit::headerChangeAllowed(std::string_view name) {
  if (!validHeaderName(name)) return refuse("request.headers[\"" + std::string(name.substr(0, 64)) + "\"]: not a valid header name");
  if (isDisallowedHeader(name))
    return refuse("request.headers: the function tried to add, delete, or change a disallowed header: " + std::string(name));
  if (isReadOnlyHeader(trigger_, name))
    return refuse("request.headers: the function tried to add, delete, or change a read-only header: " + std::string(name));
  return true;
}

bool RequestEdit::setHeader(std::string_view name, std::string_view value) {
  if (!validHeaderValue(value)) return refuse("request.headers[\"" + std::string(name.substr(0, 64)) + "\"]: value contains CR, LF or NUL");
  if (auto now = request_.headers.get(name); now && *now == value && request_.headers.getAll(name) == value) return true;
  if (!headerChangeAllowed(name)) return false;
  request_.headers.set(name, value);
  size_t bytes = 0;
  for (const auto& f : request_.headers) bytes += f.name.size() + f.value.size();
  if (request_.headers.size() > limits_.maxHeaderFields)
    return refuse("request.headers: more than " + std::to_string(limits_.maxHeaderFields) + " header fields");
  if (bytes > limits_.maxHeaderBytes) return refuse("request.headers: headers larger than " + std::to_string(limits_.maxHeaderBytes) + " bytes");
  changed_ = true;
  return true;
}

bool RequestEdit::removeHeader(std::string_view name) {
  if (!request_.headers.has(name)) return true;
  if (!headerChangeAllowed(name)) return false;
  request_.headers.remove(name);
  changed_ = true;
  return true;
}

bool RequestEdit::respond(int status, std::string_view description, http::Headers headers, std::string body) {
  if (status < 200 || status > 599) return refuse("response.status must be a number from 200 to 599");
  if (!validHeaderValue(description)) return refuse("response.statusDescription must be a string without CR/LF");
  size_t size = body.size();
  for (const auto& f : headers) {
    if (!validHeaderName(f.name)) return refuse("response.headers: not a valid header name: " + f.name.substr(0, 64));
    if (!validHeaderValue(f.value)) return refuse("response.headers[\"" + f.name.substr(0, 64) + "\"]: value contains CR, LF or NUL");
    if (isDisallowedHeader(f.name)) return refuse("response.headers: disallowed header in a generated response: " + f.name);
    size += f.name.size() + f.value.size() + 4;
  }
  if (headers.size() > limits_.maxHeaderFields)
    return refuse("response.headers: more than " + std::to_string(limits_.maxHeaderFields) + " header fields");
  size_t limit = trigger_ == Trigger::ViewerRequest ? limits_.viewerGeneratedBytes : limits_.originGeneratedBytes;
  if (size > limit)
    return refuse("the generated response is " + std::to_string(size) + " bytes, over the " + std::to_string(limit) +
                  "-byte limit at " + std::string(triggerName(trigger_)));
  FunctionResult r;
  r.kind = FunctionResult::Kind::Response;
  r.response.status = status;
  r.response.statusDescription = std::string(description);
  r.response.headers = std::move(headers);
  r.hasBody = !body.empty();
  r.body = std::move(body);
  generated_ = std::move(r);
  return true;
}

void RequestEdit::fail(std::string type, std::string message) {
  errorType_ = type.empty() ? "Error" : std::move(type);
  errorMessage_ = std::move(message);
}

Result<FunctionResult> RequestEdit::take() {
  if (invalid_) return *invalid_;
  if (generated_) return std::move(*generated_);
  FunctionResult r;
  r.kind = FunctionResult::Kind::Request;
  r.request = std::move(request_);
  r.requestUnchanged = !changed_;
  return r;
}

}  // namespace cdnlab::lambda::edge
