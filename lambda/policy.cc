// Resource-based policy statements of functions (see policy.h).
#include "lambda/policy.h"

#include <algorithm>
#include <cctype>

#include "lambda/json.h"

namespace cdnlab::lambda {

namespace {

bool allOf(std::string_view s, bool (*ok)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), ok); }
bool sidChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Action: (lambda:[*]|lambda:[a-zA-Z]+|[*])
bool validAction(std::string_view a) {
  if (a == "*" || a == "lambda:*") return true;
  return a.rfind("lambda:", 0) == 0 && allOf(a.substr(7), letter);
}

// How AWS writes a principal: "*", a service ("apigateway.amazonaws.com"), an account id
// (as its root ARN) or an ARN.
void writePrincipal(JsonWriter& w, const std::string& p) {
  if (p == "*") {
    w.string("*");
    return;
  }
  w.startObject();
  if (p.size() == 12 && allOf(p, digit)) w.key("AWS").string("arn:aws:iam::" + p + ":root");
  else if (p.rfind("arn:", 0) == 0) w.key("AWS").string(p);
  else w.key("Service").string(p);
  w.endObject();
}

}  // namespace

ApiResult<PolicyStatement> statementFromAddPermission(const rapidjson::Value& body, const std::string& resourceArn) {
  const char* fields[] = {"StatementId", "Action", "Principal", "SourceArn", "SourceAccount",
                          "EventSourceToken", "PrincipalOrgID", "FunctionUrlAuthType"};
  std::map<std::string, std::string> v;
  for (const char* f : fields) {
    auto s = getString(body, f);
    if (!s) return invalidRequestContent(s.error().message);
    if (*s) v[f] = **s;
  }
  auto need = [&](const char* f, const char* member) -> std::optional<ApiError> {
    if (!v.count(f)) return validationError("null", member, "Member must not be null");
    return std::nullopt;
  };
  for (auto [f, m] : {std::pair{"StatementId", "statementId"}, std::pair{"Action", "action"}, std::pair{"Principal", "principal"}})
    if (auto e = need(f, m)) return *e;
  const std::string& sid = v["StatementId"];
  if (sid.size() > 100 || !allOf(sid, sidChar))
    return validationError(sid, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)");
  if (!validAction(v["Action"]))
    return validationError(v["Action"], "action", "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])");
  if (v["Principal"].empty() || std::any_of(v["Principal"].begin(), v["Principal"].end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }))
    return validationError(v["Principal"], "principal", "Member must satisfy regular expression pattern: [^\\s]+");
  if (v.count("SourceAccount") && (v["SourceAccount"].size() != 12 || !allOf(v["SourceAccount"], digit)))
    return validationError(v["SourceAccount"], "sourceAccount", "Member must satisfy regular expression pattern: \\d{12}");
  if (v.count("FunctionUrlAuthType") && v["FunctionUrlAuthType"] != "NONE" && v["FunctionUrlAuthType"] != "AWS_IAM")
    return validationError(v["FunctionUrlAuthType"], "functionUrlAuthType", "Member must satisfy enum value set: [NONE, AWS_IAM]");

  JsonWriter w;
  w.startObject();
  w.key("Sid").string(sid);
  w.key("Effect").string("Allow");
  w.key("Principal");
  writePrincipal(w, v["Principal"]);
  w.key("Action").string(v["Action"]);
  w.key("Resource").string(resourceArn);
  // Each condition member becomes one operator block, as AWS groups them.
  std::map<std::string, std::map<std::string, std::string>> conditions;
  if (v.count("SourceArn")) conditions["ArnLike"]["AWS:SourceArn"] = v["SourceArn"];
  if (v.count("SourceAccount")) conditions["StringEquals"]["AWS:SourceAccount"] = v["SourceAccount"];
  if (v.count("PrincipalOrgID")) conditions["StringEquals"]["aws:PrincipalOrgID"] = v["PrincipalOrgID"];
  if (v.count("EventSourceToken")) conditions["StringEquals"]["lambda:EventSourceToken"] = v["EventSourceToken"];
  if (v.count("FunctionUrlAuthType")) conditions["StringEquals"]["lambda:FunctionUrlAuthType"] = v["FunctionUrlAuthType"];
  if (!conditions.empty()) {
    w.key("Condition").startObject();
    for (const auto& [op, pairs] : conditions) {
      w.key(op).startObject();
      for (const auto& [k, val] : pairs) w.key(k).string(val);
      w.endObject();
    }
    w.endObject();
  }
  w.endObject();
  return PolicyStatement{sid, w.take()};
}

std::string policyDocument(const FunctionPolicy& policy) {
  JsonWriter w;
  w.startObject().key("Version").string("2012-10-17").key("Id").string("default").key("Statement").startArray();
  for (const auto& s : policy.statements) w.raw(s.json);
  w.endArray().endObject();
  return w.take();
}

}  // namespace cdnlab::lambda
