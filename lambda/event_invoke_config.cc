// FunctionEventInvokeConfig: body checks, Put / Update semantics, rendering and persistence
// (event_invoke_config.h).
#include "lambda/event_invoke_config.h"

#include <cstdio>
#include <regex>

#include "lambda/function_model.h"
#include "lambda/json.h"

namespace cdnlab::lambda {
namespace {

// DestinationArn's constraint in the Lambda API reference (max length 350).
constexpr const char* kDestinationArnPattern =
    "^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";

ApiResult<std::optional<int>> boundedInt(const rapidjson::Value& body, const char* member, const char* field, int lo,
                                         int hi) {
  auto v = getInt(body, member);
  if (!v) return invalidRequestContent(v.error().message);
  if (!*v) return std::optional<int>{};
  int64_t n = **v;
  if (n < lo) return validationError(std::to_string(n), field, "Member must have value greater than or equal to " + std::to_string(lo));
  if (n > hi) return validationError(std::to_string(n), field, "Member must have value less than or equal to " + std::to_string(hi));
  return std::optional<int>(static_cast<int>(n));
}

// One of DestinationConfig's OnSuccess / OnFailure: absent or null = no destination.
ApiResult<std::string> destinationOf(const rapidjson::Value& config, const char* member, const char* field) {
  auto it = config.FindMember(member);
  if (it == config.MemberEnd() || it->value.IsNull()) return std::string();
  if (!it->value.IsObject()) return invalidRequestContent(std::string("DestinationConfig.") + member + " must be an object");
  auto d = it->value.FindMember("Destination");
  if (d == it->value.MemberEnd() || d->value.IsNull()) return std::string();
  if (!d->value.IsString())
    return invalidRequestContent(std::string("DestinationConfig.") + member + ".Destination must be a string");
  std::string arn(d->value.GetString(), d->value.GetStringLength());
  if (arn.size() > 350) return validationError(arn, field, "Member must have length less than or equal to 350");
  static const std::regex pattern(kDestinationArnPattern);
  if (!std::regex_match(arn, pattern))
    return validationError(arn, field, std::string("Member must satisfy regular expression pattern: ") + kDestinationArnPattern);
  return arn;
}

void writeDestination(JsonWriter& w, const char* key, const std::string& arn) {
  w.key(key).startObject();
  if (!arn.empty()) w.key("Destination").string(arn);
  w.endObject();
}

}  // namespace

ApiResult<EventInvokeConfigChange> parseEventInvokeConfigChange(std::string_view text) {
  auto body = parseObject(text);
  if (!body) return invalidRequestContent(body.error().message);
  EventInvokeConfigChange c;
  auto retries = boundedInt(*body, "MaximumRetryAttempts", "maximumRetryAttempts", 0, 2);
  if (!retries) return retries.error();
  c.maximumRetryAttempts = *retries;
  auto age = boundedInt(*body, "MaximumEventAgeInSeconds", "maximumEventAgeInSeconds", 60, 21600);
  if (!age) return age.error();
  c.maximumEventAgeSeconds = *age;
  auto dc = body->FindMember("DestinationConfig");
  if (dc != body->MemberEnd() && !dc->value.IsNull()) {
    if (!dc->value.IsObject()) return invalidRequestContent("DestinationConfig must be an object");
    auto ok = destinationOf(dc->value, "OnSuccess", "destinationConfig.onSuccess.destination");
    if (!ok) return ok.error();
    auto failed = destinationOf(dc->value, "OnFailure", "destinationConfig.onFailure.destination");
    if (!failed) return failed.error();
    c.hasDestination = true;
    c.onSuccess = *ok;
    c.onFailure = *failed;
  }
  return c;
}

EventInvokeConfig putEventInvokeConfig(const EventInvokeConfigChange& change, int64_t nowMs) {
  return updateEventInvokeConfig(EventInvokeConfig{}, change, nowMs);
}

EventInvokeConfig updateEventInvokeConfig(EventInvokeConfig c, const EventInvokeConfigChange& change, int64_t nowMs) {
  if (change.maximumRetryAttempts) c.maximumRetryAttempts = change.maximumRetryAttempts;
  if (change.maximumEventAgeSeconds) c.maximumEventAgeSeconds = change.maximumEventAgeSeconds;
  if (change.hasDestination) {
    c.onSuccess = change.onSuccess.value_or("");
    c.onFailure = change.onFailure.value_or("");
  }
  c.lastModifiedMs = nowMs;
  return c;
}

std::optional<DestinationTarget> parseDestination(std::string_view arn) {
  // arn:partition:service:region:account:resource...
  size_t p1 = arn.find(':');
  size_t p2 = p1 == std::string_view::npos ? p1 : arn.find(':', p1 + 1);
  size_t p3 = p2 == std::string_view::npos ? p2 : arn.find(':', p2 + 1);
  if (p3 == std::string_view::npos) return std::nullopt;
  DestinationTarget t;
  t.service = std::string(arn.substr(p2 + 1, p3 - p2 - 1));
  if (t.service != "lambda") return t;
  size_t p4 = arn.find(':', p3 + 1);
  size_t p5 = p4 == std::string_view::npos ? p4 : arn.find(':', p4 + 1);
  if (p5 == std::string_view::npos) return std::nullopt;
  std::string_view rest = arn.substr(p5 + 1);  // function:NAME[:QUALIFIER]
  if (rest.substr(0, 9) != "function:") return std::nullopt;
  rest.remove_prefix(9);
  size_t colon = rest.find(':');
  t.function = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) t.qualifier = std::string(rest.substr(colon + 1));
  if (!validFunctionName(t.function) || (colon != std::string_view::npos && t.qualifier.empty())) return std::nullopt;
  return t;
}

void writeEventInvokeConfig(JsonWriter& w, const AccountInfo& a, const std::string& function,
                            const std::string& qualifier, const EventInvokeConfig& c) {
  w.startObject();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%lld.%03lld", static_cast<long long>(c.lastModifiedMs / 1000),
                static_cast<long long>(c.lastModifiedMs % 1000));
  w.key("LastModified").raw(seconds);
  w.key("FunctionArn").string(qualifiedArn(a, function, qualifier));
  if (c.maximumRetryAttempts) w.key("MaximumRetryAttempts").integer(*c.maximumRetryAttempts);
  if (c.maximumEventAgeSeconds) w.key("MaximumEventAgeInSeconds").integer(*c.maximumEventAgeSeconds);
  w.key("DestinationConfig").startObject();
  writeDestination(w, "OnSuccess", c.onSuccess);
  writeDestination(w, "OnFailure", c.onFailure);
  w.endObject();
  w.endObject();
}

std::string eventInvokeConfigJson(const AccountInfo& a, const std::string& function, const std::string& qualifier,
                                  const EventInvokeConfig& c) {
  JsonWriter w;
  writeEventInvokeConfig(w, a, function, qualifier, c);
  return w.take();
}

void writeEventInvokeConfigRecord(JsonWriter& w, const EventInvokeConfig& c) {
  w.startObject();
  if (c.maximumRetryAttempts) w.key("retries").integer(*c.maximumRetryAttempts);
  if (c.maximumEventAgeSeconds) w.key("maxAge").integer(*c.maximumEventAgeSeconds);
  w.key("onSuccess").string(c.onSuccess);
  w.key("onFailure").string(c.onFailure);
  w.key("modified").integer(c.lastModifiedMs);
  w.endObject();
}

Result<EventInvokeConfig> readEventInvokeConfigRecord(const rapidjson::Value& v, const std::string& path) {
  if (!v.IsObject()) return Error{1, path + ": not an object"};
  EventInvokeConfig c;
  auto intMember = [&](const char* name, int lo, int hi, std::optional<int>& out) -> std::optional<Error> {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd()) return std::nullopt;
    if (!it->value.IsInt() || it->value.GetInt() < lo || it->value.GetInt() > hi)
      return Error{1, path + "." + name + ": not an integer in " + std::to_string(lo) + ".." + std::to_string(hi)};
    out = it->value.GetInt();
    return std::nullopt;
  };
  if (auto e = intMember("retries", 0, 2, c.maximumRetryAttempts)) return *e;
  if (auto e = intMember("maxAge", 60, 21600, c.maximumEventAgeSeconds)) return *e;
  for (auto [name, out] : {std::pair<const char*, std::string*>{"onSuccess", &c.onSuccess}, {"onFailure", &c.onFailure}}) {
    auto it = v.FindMember(name);
    if (it == v.MemberEnd()) continue;
    if (!it->value.IsString()) return Error{1, path + "." + name + ": not a string"};
    *out = std::string(it->value.GetString(), it->value.GetStringLength());
  }
  auto m = v.FindMember("modified");
  if (m != v.MemberEnd()) {
    if (!m->value.IsInt64()) return Error{1, path + ".modified: not an integer"};
    c.lastModifiedMs = m->value.GetInt64();
  }
  return c;
}

}  // namespace cdnlab::lambda
