// AWS service integration URIs and the DynamoDB call (see aws_service.h).
#include "gateway/integrations/aws_service.h"

namespace cdnlab::gateway {

Result<AwsServiceTarget> parseAwsIntegrationUri(std::string_view uri) {
  static constexpr std::string_view kPrefix = "arn:aws:apigateway:";
  auto bad = [&](const char* why) {
    return Error{500, "AWS integration URI " + std::string(uri) + ": " + why +
                          " (arn:aws:apigateway:<region>:<service>:action/<Action>)"};
  };
  if (uri.substr(0, kPrefix.size()) != kPrefix) return bad("not an API Gateway service ARN");
  std::string_view rest = uri.substr(kPrefix.size());
  size_t c1 = rest.find(':');
  if (c1 == std::string_view::npos) return bad("no service");
  size_t c2 = rest.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return bad("no action or path");
  AwsServiceTarget t;
  t.region = std::string(rest.substr(0, c1));
  t.service = std::string(rest.substr(c1 + 1, c2 - c1 - 1));
  std::string_view what = rest.substr(c2 + 1);
  if (what.substr(0, 7) == "action/") {
    t.action = std::string(what.substr(7));
    size_t q = t.action.find_first_of("&?");
    if (q != std::string::npos) t.action.resize(q);
    if (t.action.empty()) return bad("empty action");
  } else if (what.substr(0, 5) == "path/") {
    t.path = std::string(what.substr(5));
  } else {
    return bad("expected action/<Action> or path/<path>");
  }
  if (t.region.empty() || t.service.empty()) return bad("empty region or service");
  return t;
}

bool isDynamoDbAction(std::string_view action) {
  static const char* kActions[] = {"GetItem", "PutItem", "Query", "UpdateItem", "DeleteItem", "Scan", "BatchGetItem",
                                   "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "DescribeTable", "ListTables"};
  for (const char* a : kActions)
    if (action == a) return true;
  return false;
}

http::ClientRequest dynamoDbRequest(const std::string& host, int port, const std::string& action, std::string body,
                                    const std::string& region, const std::optional<auth::Credential>& credential,
                                    int64_t nowEpochSeconds) {
  http::ClientRequest cr;
  cr.host = host;
  cr.port = port;
  cr.method = "POST";
  cr.target = "/";
  std::string hostHeader = host + ":" + std::to_string(port);
  std::string target = "DynamoDB_20120810." + action;
  cr.headers.add("Host", hostHeader);
  cr.headers.add("Content-Type", "application/x-amz-json-1.0");
  cr.headers.add("X-Amz-Target", target);
  if (credential) {
    std::string amzDate = auth::formatAmzDate(nowEpochSeconds);
    cr.headers.add("X-Amz-Date", amzDate);
    std::string scope = amzDate.substr(0, 8) + "/" + region + "/dynamodb/aws4_request";
    const char* signedHeaders = "content-type;host;x-amz-date;x-amz-target";
    auth::SignedRequest sr;
    sr.method = "POST";
    sr.path = "/";
    sr.query = "";
    sr.body = body;
    sr.header = [&](std::string_view n) -> std::optional<std::string> {
      if (n == "content-type") return std::string("application/x-amz-json-1.0");
      if (n == "host") return hostHeader;
      if (n == "x-amz-date") return amzDate;
      if (n == "x-amz-target") return target;
      return std::nullopt;
    };
    std::string sig = auth::signatureFor(sr, credential->secretKey, amzDate, scope, signedHeaders);
    cr.headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=" + credential->accessKey + "/" + scope +
                                        ", SignedHeaders=" + signedHeaders + ", Signature=" + sig);
  }
  cr.body = Buffer(std::move(body));
  return cr;
}

}  // namespace cdnlab::gateway
