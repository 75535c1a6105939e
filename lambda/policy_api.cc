// AddPermission (POST /2015-03-31/functions/{name}/policy), GetPolicy (GET .../policy) and
// RemovePermission (DELETE .../policy/{sid}), each with ?Qualifier= for a version or alias.
// Stages: resolve the function and qualifier -> check the RevisionId -> build or find the
// statement -> change the record -> persist. See policy.h for what the policy does and does not do.
#include <algorithm>

#include "lambda/codec.h"
#include "lambda/policy.h"
#include "lambda/service.h"

namespace cdnlab::lambda {

namespace {

ApiError noPolicy() { return resourceNotFound("The resource you requested does not exist."); }

}  // namespace

ApiResult<LambdaService::PolicyTarget> LambdaService::requirePolicyTarget(const std::string& name, const std::string& qualifier) {
  auto r = registry_->resolve(name, qualifier);
  if (!r) return r.error();
  std::string q = r->qualifier;
  return PolicyTarget{r->record, q, qualifiedArn(options_.account, r->record->name, q)};
}

ApiResult<http::Response> LambdaService::addPermission(const std::string& name, const std::string& qualifier,
                                                       const http::Request& req) {
  auto target = requirePolicyTarget(name, qualifier);
  if (!target) return target.error();
  auto body = parseObject(req.body);
  if (!body) return invalidRequestContent(body.error().message);
  FunctionPolicy& policy = target->record->policies[target->qualifier];
  auto revision = getString(*body, "RevisionId");
  if (!revision) return invalidRequestContent(revision.error().message);
  if (*revision && !(*revision)->empty() && **revision != policy.revisionId)
    return preconditionFailed("The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id");
  auto statement = statementFromAddPermission(*body, target->arn);
  if (!statement) {
    if (policy.statements.empty()) target->record->policies.erase(target->qualifier);
    return statement.error();
  }
  for (const auto& s : policy.statements)
    if (s.sid == statement->sid)
      return resourceConflict("The statement id (" + s.sid + ") provided already exists. Please provide a new statement id, or remove the existing statement.");
  policy.statements.push_back(*statement);
  policy.revisionId = newUuid();
  if (auto r = registry_->save(*target->record); !r) return serviceError(r.error().message);
  JsonWriter w;
  w.startObject().key("Statement").string(statement->json).endObject();
  return jsonResponse(201, w.take());
}

ApiResult<http::Response> LambdaService::getPolicy(const std::string& name, const std::string& qualifier) {
  auto target = requirePolicyTarget(name, qualifier);
  if (!target) return target.error();
  auto it = target->record->policies.find(target->qualifier);
  if (it == target->record->policies.end() || it->second.statements.empty()) return noPolicy();
  JsonWriter w;
  w.startObject().key("Policy").string(policyDocument(it->second)).key("RevisionId").string(it->second.revisionId).endObject();
  return jsonResponse(200, w.take());
}

ApiResult<http::Response> LambdaService::removePermission(const std::string& name, const std::string& sid,
                                                          const std::string& qualifier, const http::Request& req) {
  auto target = requirePolicyTarget(name, qualifier);
  if (!target) return target.error();
  auto it = target->record->policies.find(target->qualifier);
  if (it == target->record->policies.end() || it->second.statements.empty()) return noPolicy();
  FunctionPolicy& policy = it->second;
  std::string revision = queryParam(req.query, "RevisionId").value_or("");
  if (!revision.empty() && revision != policy.revisionId)
    return preconditionFailed("The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id");
  auto found = std::find_if(policy.statements.begin(), policy.statements.end(), [&](const PolicyStatement& s) { return s.sid == sid; });
  if (found == policy.statements.end()) return resourceNotFound("Statement " + sid + " is not found in resource policy.");
  policy.statements.erase(found);
  policy.revisionId = newUuid();
  if (policy.statements.empty()) target->record->policies.erase(it);
  if (auto r = registry_->save(*target->record); !r) return serviceError(r.error().message);
  return jsonResponse(204, "");
}

}  // namespace cdnlab::lambda
