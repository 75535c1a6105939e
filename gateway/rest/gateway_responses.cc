// Gateway responses: AWS's table of types, compiling customisations, rendering an answer (see
// gateway_responses.h).
#include "gateway/rest/gateway_responses.h"

#include <cctype>

#include "common/log.h"
#include "gateway/json.h"
#include "gateway/rest/decimal.h"
#include "gateway/rest/header_field.h"
#include "gateway/vtl/renderer.h"

namespace cdnlab::gateway {
namespace {

const CompiledGatewayResponse* findIn(const GatewayResponseMap* m, std::string_view type) {
  if (!m) return nullptr;
  auto it = m->find(std::string(type));
  return it == m->end() ? nullptr : &it->second;
}

// application/json first, else the first one.
const vtl::Template* templateOf(const CompiledGatewayResponse* r) {
  if (!r || r->templates.empty()) return nullptr;
  auto it = r->templates.find("application/json");
  return (it != r->templates.end() ? it->second : r->templates.begin()->second).get();
}

int statusOf(const CompiledGatewayResponse* r) {
  if (!r || r->config.statusCode.empty()) return 0;
  return parseNumber<int>(r->config.statusCode).value_or(0);  // validStatus() checked it when put
}

bool validStatus(const std::string& s) {
  return s.size() == 3 && std::isdigit(static_cast<unsigned char>(s[0])) && std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[2])) && s[0] >= '1' && s[0] <= '5';
}

void applyParameters(const CompiledGatewayResponse* r, const GatewayResponseInputs& in, http::Response& out) {
  if (!r) return;
  static constexpr std::string_view kPrefix = "gatewayresponse.header.";
  for (const auto& [target, source] : r->config.responseParameters) {
    if (target.rfind(kPrefix, 0) != 0) continue;
    std::string name = target.substr(kPrefix.size());
    std::optional<std::string> value;
    if (source.size() >= 2 && source.front() == '\'' && source.back() == '\'') value = source.substr(1, source.size() - 2);
    else if (in.source) value = in.source(source);
    if (value && safeHeaderField(name, *value)) out.headers.set(name, *value);
  }
}

}  // namespace

const std::vector<GatewayResponseType>& gatewayResponseTypes() {
  static const std::vector<GatewayResponseType> kTypes = {
      {"ACCESS_DENIED", 403, "AccessDeniedException"},
      {"API_CONFIGURATION_ERROR", 500, "InternalServerErrorException"},
      {"AUTHORIZER_CONFIGURATION_ERROR", 500, "AuthorizerConfigurationException"},
      {"AUTHORIZER_FAILURE", 500, "AuthorizerFailureException"},
      {"BAD_REQUEST_PARAMETERS", 400, "BadRequestException"},
      {"BAD_REQUEST_BODY", 400, "BadRequestException"},
      {"DEFAULT_4XX", 0, ""},
      {"DEFAULT_5XX", 0, ""},
      {"EXPIRED_TOKEN", 403, "ExpiredTokenException"},
      {"INTEGRATION_FAILURE", 504, "InternalServerErrorException"},
      {"INTEGRATION_TIMEOUT", 504, "InternalServerErrorException"},
      {"INVALID_API_KEY", 403, "ForbiddenException"},
      {"INVALID_SIGNATURE", 403, "InvalidSignatureException"},
      {"MISSING_AUTHENTICATION_TOKEN", 403, "MissingAuthenticationTokenException"},
      {"QUOTA_EXCEEDED", 429, "LimitExceededException"},
      {"REQUEST_TOO_LARGE", 413, "RequestTooLargeException"},
      {"RESOURCE_NOT_FOUND", 404, "NotFoundException"},
      {"THROTTLED", 429, "TooManyRequestsException"},
      {"UNAUTHORIZED", 401, "UnauthorizedException"},
      {"UNSUPPORTED_MEDIA_TYPE", 415, "UnsupportedMediaTypeException"},
      {"WAF_FILTERED", 403, "WAFFilteredException"},
  };
  return kTypes;
}

const GatewayResponseType* findGatewayResponseType(std::string_view type) {
  for (const auto& t : gatewayResponseTypes())
    if (t.type == type) return &t;
  return nullptr;
}

Result<GatewayResponseMap> compileGatewayResponses(const std::map<std::string, RestGatewayResponse>& responses) {
  GatewayResponseMap out;
  for (const auto& [type, r] : responses) {
    if (!findGatewayResponseType(type)) return Error{400, "Invalid gateway response type '" + type + "'"};
    if (!r.statusCode.empty() && !validStatus(r.statusCode))
      return Error{400, "Invalid status code '" + r.statusCode + "' for gateway response " + type};
    for (const auto& [target, source] : r.responseParameters)
      if (target.rfind("gatewayresponse.header.", 0) != 0 || target.size() == 23)
        return Error{400, "Invalid response parameter '" + target + "' for gateway response " + type +
                              " (gatewayresponse.header.<name>)"};
    CompiledGatewayResponse c;
    c.config = r;
    for (const auto& [ct, text] : r.responseTemplates) {
      auto t = vtl::parseTemplate(ct, text);
      if (!t) return Error{400, "Invalid mapping expression specified: gateway response " + type + " template " + t.error().message};
      c.templates[ct] = *t;
    }
    out.emplace(type, std::move(c));
  }
  return out;
}

http::Response renderGatewayResponse(const GatewayResponseMap* custom, const GatewayError& e, GatewayResponseInputs in,
                                     std::string* why) {
  const GatewayResponseType* t = findGatewayResponseType(e.type);
  int defaultStatus = e.status ? e.status : t && t->status ? t->status : 500;
  const CompiledGatewayResponse* own = findIn(custom, e.type);
  const CompiledGatewayResponse* fallback = findIn(custom, defaultStatus < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX");

  http::Response out;
  // A customised type keeps its own status (its default when it sets none); the rest take the
  // fallback's when it sets one.
  out.status = own ? (statusOf(own) ? statusOf(own) : defaultStatus) : (statusOf(fallback) ? statusOf(fallback) : defaultStatus);
  out.headers.set("Content-Type", "application/json");
  if (!e.errorType.empty()) out.headers.set("x-amzn-ErrorType", e.errorType);
  else if (t && !t->errorType.empty()) out.headers.set("x-amzn-ErrorType", t->errorType);
  applyParameters(fallback, in, out);
  applyParameters(own, in, out);

  // $context.error: message (raw), messageString (as a JSON string literal), responseType,
  // validationErrorString.
  vtl::Value error = vtl::Value::map();
  error.asMap().put("message", e.message ? vtl::Value(*e.message) : vtl::Value());
  error.asMap().put("messageString", vtl::Value(e.message ? jsonQuote(*e.message) : std::string("null")));
  error.asMap().put("responseType", vtl::Value(e.type));
  error.asMap().put("validationErrorString", vtl::Value(e.validationErrorString));
  if (!in.context.isMap()) in.context = vtl::Value::map();
  in.context.asMap().put("error", error);

  std::string body;
  // A customised type without templates answers with the default body, not the fallback's.
  const vtl::Template* tpl = own ? templateOf(own) : templateOf(fallback);
  bool rendered = false;
  if (tpl) {
    vtl::RenderInput ri;
    ri.params = in.params.isMap() ? in.params : vtl::Value::map();
    ri.context = in.context;
    ri.stageVariables = in.stageVariables.isMap() ? in.stageVariables : vtl::Value::map();
    auto r = vtl::render(*tpl, ri);
    if (r) {
      body = std::move(*r);
      rendered = true;
    } else if (why) {
      *why = "gateway response " + e.type + ": " + r.error().message;
    }
  }
  if (!rendered) body = "{\"message\":" + (e.message ? jsonQuote(*e.message) : std::string("null")) + "}";
  out.body = Buffer(std::move(body));
  return out;
}

}  // namespace cdnlab::gateway
