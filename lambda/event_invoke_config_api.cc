// The EventInvokeConfig operations of the Lambda API (2019-09-25): Put / Update / Get / List /
// DeleteFunctionEventInvokeConfig. Each parses -> checks -> changes the function record ->
// persists -> renders. The Invoker reads the stored configuration for every Event invocation.
#include <cstdlib>

#include "lambda/codec.h"
#include "lambda/service.h"

namespace cdnlab::lambda {

namespace {

std::string qualifierKey(const std::string& qualifier) { return qualifier.empty() ? "$LATEST" : qualifier; }

// Which configuration Get and Delete address: the function's name and the qualifier, from the
// name ("fn:prod") or the Qualifier parameter, which must agree when both are given. Unlike Put,
// the function need not resolve: a missing one answers as a missing configuration.
struct ConfigAddress {
  std::string function;
  std::string key;  // the qualifier, "$LATEST" when none
};

ApiResult<ConfigAddress> addressConfig(const std::string& name, const std::string& qualifier) {
  auto ref = parseFunctionRef(name);
  if (!ref) return validationError(name, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
  if (!ref->qualifier.empty() && !qualifier.empty() && ref->qualifier != qualifier)
    return invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
  return ConfigAddress{ref->name, qualifierKey(qualifier.empty() ? ref->qualifier : qualifier)};
}

}  // namespace

ApiError LambdaService::noEventInvokeConfig(const std::string& name, const std::string& qualifier) const {
  return resourceNotFound("The function " + qualifiedArn(options_.account, name, qualifierKey(qualifier)) +
                          " doesn't have an EventInvokeConfig");
}

// A destination must be something the service can deliver to: another function of this service
// (it is invoked asynchronously with the invocation record, as AWS does). AWS also takes SQS,
// SNS, EventBridge and S3 (on-failure only); the project has none of them, so they are refused
// with a reason instead of being accepted and silently dropped.
std::optional<ApiError> LambdaService::checkDestination(const std::string& function, const std::string& arn,
                                                        bool onFailure) {
  if (arn.empty()) return std::nullopt;
  auto target = parseDestination(arn);
  if (!target) return invalidParameter("The destination ARN " + arn + " is invalid.");
  if (target->service == "lambda") {
    if (target->function == function) return invalidParameter("You can't specify the function as a destination for itself.");
    if (!registry_->resolve(target->function, target->qualifier)) return invalidParameter("The destination ARN " + arn + " is invalid.");
    return std::nullopt;
  }
  if (target->service == "sqs" || target->service == "sns" || target->service == "events" ||
      (target->service == "s3" && onFailure)) {
    const char* what = target->service == "sqs"   ? "SQS queues"
                       : target->service == "sns" ? "SNS topics"
                       : target->service == "s3"  ? "S3 buckets"
                                                  : "EventBridge event buses";
    return invalidParameter("The destination " + arn + " cannot be used: cdnlab lambda has no " + what +
                            ". Use the ARN of another Lambda function of this service as the destination.");
  }
  return invalidParameter("The destination ARN " + arn + " is invalid: the " + (onFailure ? "OnFailure" : "OnSuccess") +
                          " destination must be a Lambda function, SQS queue, SNS topic or EventBridge event bus" +
                          (onFailure ? " (or S3 bucket)." : "."));
}

ApiResult<http::Response> LambdaService::putEventInvokeConfig(const std::string& name, const std::string& qualifier,
                                                              const http::Request& req, bool update) {
  auto change = parseEventInvokeConfigChange(req.body);
  if (!change) return change.error();
  if (change->empty()) return invalidParameter("You must specify at least one of error handling or destination setting.");
  auto target = registry_->resolve(name, qualifier);
  if (!target) return target.error();
  FunctionRecord* rec = target->record;
  std::string key = qualifierKey(target->qualifier);
  auto existing = rec->eventInvokeConfigs.find(key);
  if (update && existing == rec->eventInvokeConfigs.end()) return noEventInvokeConfig(rec->name, key);
  if (change->hasDestination) {
    if (auto e = checkDestination(rec->name, change->onSuccess.value_or(""), false)) return *e;
    if (auto e = checkDestination(rec->name, change->onFailure.value_or(""), true)) return *e;
  }
  EventInvokeConfig next = update ? updateEventInvokeConfig(existing->second, *change, wallClockMs())
                                  : lambda::putEventInvokeConfig(*change, wallClockMs());
  rec->eventInvokeConfigs[key] = next;
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  return jsonResponse(200, eventInvokeConfigJson(options_.account, rec->name, key, next));
}

ApiResult<http::Response> LambdaService::getEventInvokeConfig(const std::string& name, const std::string& qualifier) {
  auto at = addressConfig(name, qualifier);
  if (!at) return at.error();
  FunctionRecord* rec = registry_->find(at->function);
  if (!rec) return noEventInvokeConfig(at->function, at->key);
  auto it = rec->eventInvokeConfigs.find(at->key);
  if (it == rec->eventInvokeConfigs.end()) return noEventInvokeConfig(rec->name, at->key);
  return jsonResponse(200, eventInvokeConfigJson(options_.account, rec->name, at->key, it->second));
}

ApiResult<http::Response> LambdaService::deleteEventInvokeConfig(const std::string& name, const std::string& qualifier) {
  auto at = addressConfig(name, qualifier);
  if (!at) return at.error();
  FunctionRecord* rec = registry_->find(at->function);
  if (!rec || !rec->eventInvokeConfigs.erase(at->key)) return noEventInvokeConfig(at->function, at->key);
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  return jsonResponse(204, "");
}

// Configurations in qualifier order; the marker is the position of the next one.
ApiResult<http::Response> LambdaService::listEventInvokeConfigs(const std::string& name, const http::Request& req) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  int64_t maxItems = 50;
  if (auto mi = queryParam(req.query, "MaxItems")) {
    char* end = nullptr;
    maxItems = std::strtoll(mi->c_str(), &end, 10);
    if (mi->empty() || *end != '\0') return invalidParameter("MaxItems must be a number");
    if (maxItems < 1) return validationError(*mi, "maxItems", "Member must have value greater than or equal to 1");
    if (maxItems > 50) return validationError(*mi, "maxItems", "Member must have value less than or equal to 50");
  }
  const auto& configs = (*rec)->eventInvokeConfigs;
  size_t start = 0;
  if (auto marker = queryParam(req.query, "Marker"); marker && !marker->empty()) {
    char* end = nullptr;
    long long pos = std::strtoll(marker->c_str(), &end, 10);
    if (*end != '\0' || pos < 0 || static_cast<size_t>(pos) > configs.size()) return invalidParameter("Invalid Marker: " + *marker);
    start = static_cast<size_t>(pos);
  }
  JsonWriter w;
  w.startObject().key("FunctionEventInvokeConfigs").startArray();
  size_t i = 0;
  for (const auto& [q, c] : configs) {
    if (i >= start && i < start + static_cast<size_t>(maxItems)) writeEventInvokeConfig(w, options_.account, (*rec)->name, q, c);
    ++i;
  }
  w.endArray();
  size_t next = start + static_cast<size_t>(maxItems);
  if (next < configs.size()) w.key("NextMarker").string(std::to_string(next));
  w.endObject();
  return jsonResponse(200, w.take());
}

}  // namespace cdnlab::lambda
