// REST API Lambda proxy event (see rest_event.h): the shared 1.0 builder's output, adjusted.
#include "gateway/rest/rest_event.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cdnlab::gateway {

std::string buildRestProxyEvent(const ProxyRequest& r, const RestEventExtras& extras) {
  std::string v1 = buildEventV1(r);
  rapidjson::Document doc;
  if (doc.Parse(v1.data(), v1.size()).HasParseError() || !doc.IsObject()) return v1;  // our own JSON: cannot happen
  auto& a = doc.GetAllocator();
  auto str = [&](const std::string& s) { return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a); };
  doc.RemoveMember("version");
  if (doc.HasMember("path")) doc["path"] = str(extras.stagePath);
  if (doc.HasMember("requestContext") && doc["requestContext"].IsObject()) {
    auto& rc = doc["requestContext"];
    if (rc.HasMember("path")) rc["path"] = str(extras.fullPath);
    if (rc.HasMember("identity") && rc["identity"].IsObject()) {
      auto& id = rc["identity"];
      id.AddMember("apiKey", extras.apiKey.empty() ? rapidjson::Value() : str(extras.apiKey), a);
      id.AddMember("apiKeyId", extras.apiKeyId.empty() ? rapidjson::Value() : str(extras.apiKeyId), a);
      const CallerIdentity& c = extras.caller;
      for (auto [name, value] : {std::pair{"accessKey", &c.accessKey}, std::pair{"accountId", &c.accountId},
                                 std::pair{"caller", &c.caller}, std::pair{"user", &c.user}, std::pair{"userArn", &c.userArn}})
        if (!value->empty() && id.HasMember(name)) id[name] = str(*value);
    }
  }
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  doc.Accept(w);
  return std::string(b.GetString(), b.GetSize());
}

}  // namespace cdnlab::gateway
