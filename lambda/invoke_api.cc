// The Invoke API: POST /2015-03-31/functions/{name}/invocations (see service.h). Request stages:
// resolve the function -> read the invocation type, log type, client context -> check the
// payload (size, JSON) -> DryRun answers, Event queues, RequestResponse runs and answers with the
// payload and AWS's headers.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "lambda/codec.h"
#include "lambda/service.h"

namespace cdnlab::lambda {

namespace {

// X-Amz-Client-Context: base64 (at most 3583 bytes, AWS's limit) of a JSON object. Returned
// re-written compactly: it travels on to the function in a Runtime API header, where a raw CR or
// LF (whitespace to JSON) would end the header; escaped inside strings they are harmless.
std::optional<std::string> clientContextJson(std::string_view header) {
  if (header.size() > 3583) return std::nullopt;
  auto decoded = base64Decode(header);
  if (!decoded) return std::nullopt;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(decoded->data(), decoded->size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  doc.Accept(writer);
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace

void LambdaService::invoke(const std::string& name, const http::Request& req, const std::string& requestId, Respond respond) {
  auto fail = [&](const ApiError& e) { respond(errorResponse(e, requestId)); };
  std::string qualifier = queryParam(req.query, "Qualifier").value_or("");
  auto target = registry_->resolve(name, qualifier);
  if (!target) return fail(target.error());

  std::string type(req.headers.get("X-Amz-Invocation-Type").value_or("RequestResponse"));
  if (type != "RequestResponse" && type != "Event" && type != "DryRun")
    return fail(validationError(type, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]"));
  std::string logType(req.headers.get("X-Amz-Log-Type").value_or("None"));
  if (logType != "None" && logType != "Tail")
    return fail(validationError(logType, "logType", "Member must satisfy enum value set: [Tail, None]"));
  std::string clientContext;
  if (auto cc = req.headers.get("X-Amz-Client-Context")) {
    auto compact = clientContextJson(*cc);
    if (!compact) return fail(invalidRequestContent("Client context must be a valid Base64-encoded JSON object."));
    // AWS hands the client context to synchronous invocations only.
    if (type == "RequestResponse") clientContext = std::move(*compact);
  }

  uint64_t limit = type == "Event" ? options_.maxAsyncPayloadBytes : options_.maxSyncPayloadBytes;
  if (req.body.size() > limit)
    return fail({413, "RequestTooLargeException",
                 "Request must be smaller than " + std::to_string(limit) + " bytes for the InvokeFunction operation"});
  std::string payload = req.body;
  if (payload.find_first_not_of(" \t\r\n") == std::string::npos) {
    payload = "{}";  // aws-cli and the SDKs send no body for "no payload"; the handler gets {}
  } else if (!isJsonValue(payload)) {
    return fail(invalidRequestContent("Could not parse request body into json: Could not parse payload into json: "
                                      "Unexpected character or end of input"));
  }

  if (type == "DryRun") {
    http::Response r;
    r.status = 204;
    return respond(std::move(r));
  }
  InvokeOptions opts;
  opts.requestId = requestId;
  opts.payload = std::move(payload);
  opts.tail = logType == "Tail" && type == "RequestResponse";
  opts.clientContext = std::move(clientContext);
  if (type == "Event") {
    if (!invoker_->enqueue(*target, std::move(opts)))
      return fail(tooManyRequests("ConcurrentInvocationLimitExceeded", "The Event invocation queue is full."));
    http::Response r;
    r.status = 202;
    return respond(std::move(r));
  }
  bool tail = opts.tail;
  invoker_->invoke(*target, std::move(opts), [respond, requestId, tail](InvokeResult res) {
    if (res.error) return respond(errorResponse(*res.error, requestId));
    http::Response r;
    r.status = 200;
    r.headers.add("Content-Type", "application/json");
    r.headers.add("X-Amz-Executed-Version", res.executedVersion);
    if (res.functionError) r.headers.add("X-Amz-Function-Error", "Unhandled");
    if (tail) {
      std::string_view t = res.logTail;
      if (t.size() > 4096) t = t.substr(t.size() - 4096);
      r.headers.add("X-Amz-Log-Result", base64Encode(t));
    }
    r.body = Buffer(std::move(res.payload));
    respond(std::move(r));
  });
}

// InvokeAsync (POST /2014-11-13/functions/{name}/invoke-async/, deprecated by AWS but still in
// aws-cli and the SDKs): the same invocation as Invoke with InvocationType Event, answered
// 202 {"Status":202} as that API does.
void LambdaService::invokeAsync(const std::string& name, const http::Request& req, const std::string& requestId,
                                Respond respond) {
  http::Request event = req;
  event.headers.set("X-Amz-Invocation-Type", "Event");
  event.headers.set("X-Amz-Log-Type", "None");
  invoke(name, event, requestId, [respond](http::Response r) {
    if (r.status == 202) {
      r.headers.set("Content-Type", "application/json");
      r.body = Buffer(std::string("{\"Status\":202}"));
    }
    respond(std::move(r));
  });
}

}  // namespace cdnlab::lambda
