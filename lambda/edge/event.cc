// Writes the Lambda@Edge event JSON (event.h) with RapidJSON's streaming writer: no DOM, one
// pass, since it runs for every request that meets an edge function.
#include "lambda/edge/event.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace cdnlab::lambda::edge {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// {"lowercase":[{"key":"As-Sent","value":"v"},...],...}: one member per distinct name, in the
// order names first appear, each list in arrival order (duplicates kept, as CloudFront does).
void writeHeaders(Writer& w, const http::Headers& headers) {
  std::vector<std::string> names;
  names.reserve(headers.size());
  for (const auto& h : headers) {
    std::string l = lower(h.name);
    if (std::find(names.begin(), names.end(), l) == names.end()) names.push_back(std::move(l));
  }
  w.StartObject();
  for (const auto& name : names) {
    str(w, name);
    w.StartArray();
    for (const auto& h : headers) {
      if (!http::equalsIgnoreCase(h.name, name)) continue;
      w.StartObject();
      w.Key("key");
      str(w, h.name);
      w.Key("value");
      str(w, h.value);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void writeOrigin(Writer& w, const EdgeOrigin& o) {
  w.StartObject();
  w.Key("custom");
  w.StartObject();
  w.Key("customHeaders");
  w.StartObject();
  w.EndObject();
  w.Key("domainName");
  str(w, o.domainName);
  w.Key("keepaliveTimeout");
  w.Int(5);
  w.Key("path");
  str(w, o.path);
  w.Key("port");
  w.Int(o.port);
  w.Key("protocol");
  str(w, o.protocol);
  w.Key("readTimeout");
  w.Int(30);
  w.Key("sslProtocols");
  w.StartArray();
  w.String("TLSv1.2");
  w.EndArray();
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string_view triggerName(Trigger t) {
  switch (t) {
#define CDNLAB_X(name, text) \
  case Trigger::name:        \
    return text;
    CDNLAB_EDGE_TRIGGERS(CDNLAB_X)
#undef CDNLAB_X
  }
  return "?";
}

std::optional<Trigger> parseTrigger(std::string_view name) {
#define CDNLAB_X(id, text) \
  if (name == text) return Trigger::id;
  CDNLAB_EDGE_TRIGGERS(CDNLAB_X)
#undef CDNLAB_X
  return std::nullopt;
}

std::string buildEvent(Trigger trigger, const EdgeConfig& config, const EdgeRequest& request,
                       const EdgeResponse* response) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("Records");
  w.StartArray();
  w.StartObject();
  w.Key("cf");
  w.StartObject();

  w.Key("config");
  w.StartObject();
  w.Key("distributionDomainName");
  str(w, config.distributionDomainName);
  w.Key("distributionId");
  str(w, config.distributionId);
  w.Key("eventType");
  str(w, triggerName(trigger));
  w.Key("requestId");
  str(w, config.requestId);
  w.EndObject();

  w.Key("request");
  w.StartObject();
  w.Key("clientIp");
  str(w, request.clientIp);
  w.Key("headers");
  writeHeaders(w, request.headers);
  w.Key("method");
  str(w, request.method);
  bool withOrigin = trigger == Trigger::OriginRequest || trigger == Trigger::OriginResponse;
  if (withOrigin && request.origin) {
    w.Key("origin");
    writeOrigin(w, *request.origin);
  }
  w.Key("querystring");
  str(w, request.querystring);
  w.Key("uri");
  str(w, request.uri);
  w.EndObject();

  if (!isRequestTrigger(trigger) && response != nullptr) {
    w.Key("response");
    w.StartObject();
    w.Key("headers");
    writeHeaders(w, response->headers);
    w.Key("status");
    std::string status = std::to_string(response->status);  // CloudFront sends it as a string
    str(w, status);
    w.Key("statusDescription");
    str(w, response->statusDescription.empty() ? std::string_view(http::reasonPhrase(response->status))
                                               : std::string_view(response->statusDescription));
    w.EndObject();
  }

  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace cdnlab::lambda::edge
