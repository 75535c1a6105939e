// Writes the Lambda@Edge event JSON (event.h) straight into one string: no DOM, one pass, no
// allocation but the result's, since it runs for every request that meets an edge function.
#include "lambda/edge/event.h"

#include <string>

namespace cdnlab::lambda::edge {
namespace {

// Appends `s` as a JSON string: quoted, with '"', '\\' and control characters escaped. Other
// bytes pass through as they are (as RapidJSON's writer does): header values are opaque octets.
void appendString(std::string& out, std::string_view s, bool lowercase = false) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool upper = lowercase && c >= 'A' && c <= 'Z';
    if (c >= 0x20 && c != '"' && c != '\\' && !upper) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    if (upper) {
      out += static_cast<char>(c + ('a' - 'A'));
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// {"lowercase":[{"key":"As-Sent","value":"v"},...],...}: one member per distinct name, in the
// order names first appear, each list in arrival order (duplicates kept, as CloudFront does).
void appendHeaders(std::string& out, const http::Headers& headers) {
  out += '{';
  bool firstName = true;
  for (size_t i = 0; i < headers.size(); ++i) {
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j) seen = http::equalsIgnoreCase(headers[j].name, headers[i].name);
    if (seen) continue;
    if (!firstName) out += ',';
    firstName = false;
    appendString(out, headers[i].name, /*lowercase=*/true);
    out += ":[";
    bool firstValue = true;
    for (size_t k = i; k < headers.size(); ++k) {
      if (!http::equalsIgnoreCase(headers[k].name, headers[i].name)) continue;
      out += firstValue ? "{\"key\":" : ",{\"key\":";
      firstValue = false;
      appendString(out, headers[k].name);
      out += ",\"value\":";
      appendString(out, headers[k].value);
      out += '}';
    }
    out += ']';
  }
  out += '}';
}

void appendOrigin(std::string& out, const EdgeOrigin& o) {
  out += "{\"custom\":{\"customHeaders\":{},\"domainName\":";
  appendString(out, o.domainName);
  out += ",\"keepaliveTimeout\":5,\"path\":";
  appendString(out, o.path);
  out += ",\"port\":";
  out += std::to_string(o.port);
  out += ",\"protocol\":";
  appendString(out, o.protocol);
  out += ",\"readTimeout\":30,\"sslProtocols\":[\"TLSv1.2\"]}}";
}

size_t headersSize(const http::Headers& headers) {
  size_t n = 0;
  for (const auto& h : headers) n += 2 * h.name.size() + h.value.size() + 32;
  return n;
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
  const bool withResponse = !isRequestTrigger(trigger) && response != nullptr;
  std::string out;
  out.reserve(320 + config.distributionDomainName.size() + config.distributionId.size() + config.requestId.size() +
              request.clientIp.size() + request.uri.size() + request.querystring.size() + headersSize(request.headers) +
              (request.origin ? 256 + request.origin->domainName.size() + request.origin->path.size() : 0) +
              (withResponse ? 64 + response->statusDescription.size() + headersSize(response->headers) : 0));
  out += "{\"Records\":[{\"cf\":{\"config\":{\"distributionDomainName\":";
  appendString(out, config.distributionDomainName);
  out += ",\"distributionId\":";
  appendString(out, config.distributionId);
  out += ",\"eventType\":";
  appendString(out, triggerName(trigger));
  out += ",\"requestId\":";
  appendString(out, config.requestId);
  out += "},\"request\":{\"clientIp\":";
  appendString(out, request.clientIp);
  out += ",\"headers\":";
  appendHeaders(out, request.headers);
  out += ",\"method\":";
  appendString(out, request.method);
  bool withOrigin = trigger == Trigger::OriginRequest || trigger == Trigger::OriginResponse;
  if (withOrigin && request.origin) {
    out += ",\"origin\":";
    appendOrigin(out, *request.origin);
  }
  out += ",\"querystring\":";
  appendString(out, request.querystring);
  out += ",\"uri\":";
  appendString(out, request.uri);
  out += '}';
  if (withResponse) {
    out += ",\"response\":{\"headers\":";
    appendHeaders(out, response->headers);
    out += ",\"status\":\"";  // CloudFront sends it as a string
    out += std::to_string(response->status);
    out += "\",\"statusDescription\":";
    appendString(out, response->statusDescription.empty() ? std::string_view(http::reasonPhrase(response->status))
                                                         : std::string_view(response->statusDescription));
    out += '}';
  }
  out += "}}]}";
  return out;
}

}  // namespace cdnlab::lambda::edge
