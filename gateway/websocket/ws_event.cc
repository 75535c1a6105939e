// WebSocket events, route selection and route responses (see ws_event.h).
#include "gateway/websocket/ws_event.h"

#include <rapidjson/document.h>

#include <random>
#include <vector>

#include "common/json_depth.h"
#include "gateway/integrations/multi_value.h"
#include "gateway/integrations/proxy_event.h"
#include "gateway/json.h"
#include "gateway/routing/query_string.h"
#include "gateway/routing/route_table.h"

namespace cdnlab::gateway::websocket {
namespace {

void writeHeaders(JsonWriter& w, const http::Headers& h) {
  // headers: one value per name (the last, as 1.0 events carry them); multiValueHeaders: all.
  MultiValues grouped;
  for (const auto& f : h) {
    auto it = grouped.begin();
    for (; it != grouped.end(); ++it)
      if (http::equalsIgnoreCase(it->first, f.name)) break;
    if (it == grouped.end()) grouped.push_back({f.name, {f.value}});
    else it->second.push_back(f.value);
  }
  writeLastAndAllValues(w, "headers", "multiValueHeaders", grouped);
}

void writeQuery(JsonWriter& w, std::string_view q) {
  MultiValues params = parseQueryParameters(q, PlusSign::kLiteral);
  if (params.empty()) return;
  writeLastAndAllValues(w, "queryStringParameters", "multiValueQueryStringParameters", params);
}

}  // namespace

std::string buildWebSocketEvent(const WsEventInput& in) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  w.StartObject();
  if (in.headers && in.eventType != "MESSAGE") writeHeaders(w, *in.headers);
  if (in.eventType == "CONNECT") writeQuery(w, in.rawQuery);
  jkey(w, "requestContext");
  w.StartObject();
  jkv(w, "routeKey", in.routeKey);
  if (in.eventType == "DISCONNECT") {
    jkey(w, "disconnectStatusCode");
    w.Int(in.disconnectStatusCode);
    jkv(w, "disconnectReason", in.disconnectReason);
  }
  if (!in.messageId.empty()) jkv(w, "messageId", in.messageId);
  jkv(w, "eventType", in.eventType);
  jkv(w, "extendedRequestId", in.requestId);
  jkv(w, "requestTime", clfTime(in.requestTimeMs));
  jkv(w, "messageDirection", "IN");
  jkv(w, "stage", in.stage);
  jkey(w, "connectedAt");
  w.Int64(in.connectedAtMs);
  jkey(w, "requestTimeEpoch");
  w.Int64(in.requestTimeMs);
  jkey(w, "identity");
  w.StartObject();
  jkv(w, "userAgent", in.userAgent);
  jkv(w, "sourceIp", in.sourceIp);
  w.EndObject();
  jkv(w, "requestId", in.requestId);
  jkv(w, "domainName", in.domainName);
  jkv(w, "connectionId", in.connectionId);
  jkv(w, "apiId", in.apiId);
  w.EndObject();
  if (in.eventType == "MESSAGE") jkv(w, "body", in.body);
  jkey(w, "isBase64Encoded");
  w.Bool(in.bodyIsBase64);
  if (in.stageVariables && !in.stageVariables->empty()) jmap(w, "stageVariables", *in.stageVariables);
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string selectRoute(std::string_view expr, std::string_view message, const std::set<std::string>& routeKeys) {
  std::string path(expr);
  if (path.size() > 3 && path.compare(0, 2, "${") == 0 && path.back() == '}') path = "$" + path.substr(2, path.size() - 3);
  constexpr std::string_view kBody = "$request.body.";
  if (path.compare(0, kBody.size(), kBody) != 0) return "$default";
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(message.data(), message.size());  // a client's message: any depth
  if (doc.HasParseError() || !doc.IsObject()) return "$default";
  const rapidjson::Value* v = &doc;
  std::string_view rest = std::string_view(path).substr(kBody.size());
  while (!rest.empty()) {
    size_t dot = rest.find('.');
    std::string name(rest.substr(0, dot));
    if (!v->IsObject()) return "$default";
    auto it = v->FindMember(name.c_str());
    if (it == v->MemberEnd()) return "$default";
    v = &it->value;
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  }
  std::string key;
  if (v->IsString()) key.assign(v->GetString(), v->GetStringLength());
  else if (v->IsBool()) key = v->GetBool() ? "true" : "false";
  else if (v->IsNumber()) {
    rapidjson::StringBuffer b;
    JsonWriter w(b);
    v->Accept(w);
    key.assign(b.GetString(), b.GetSize());
  }
  return routeKeys.count(key) ? key : "$default";
}

std::string routeResponseOf(std::string_view answer) {
  // The integration's answer is untrusted and its body is re-serialised below (the Writer
  // recurses per level): an answer nested too deep is passed on as it is.
  if (jsonNestsDeeperThan(answer, kMaxRecursiveJsonDepth)) return std::string(answer);
  rapidjson::Document doc;
  doc.Parse(answer.data(), answer.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    auto it = doc.FindMember("body");
    if (it != doc.MemberEnd()) {
      if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
      rapidjson::StringBuffer b;
      JsonWriter w(b);
      it->value.Accept(w);
      return std::string(b.GetString(), b.GetSize());
    }
  }
  if (!doc.HasParseError() && doc.IsString()) return std::string(doc.GetString(), doc.GetStringLength());
  return std::string(answer);
}

std::string newConnectionId() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id(15, 'A');
  for (auto& c : id) c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
  return id + "=";
}

}  // namespace cdnlab::gateway::websocket
