// A function's resource-based policy (AddPermission / GetPolicy / RemovePermission): each
// statement as AWS renders it from AddPermission's members (Principal, Action, SourceArn,
// SourceAccount, PrincipalOrgID, EventSourceToken, FunctionUrlAuthType -> a Condition). Pure
// data and rules; the service records the policy and shows it back. It has no IAM identities
// to judge callers by, so invocations are not checked against it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "lambda/api_result.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {

// Builds the statement AddPermission's body asks for, on `resourceArn` (the function's ARN,
// qualified when the permission is). Errors are AWS's (ValidationException naming the member).
// (PolicyStatement and FunctionPolicy, the data, live in function_model.h with the record.)
ApiResult<PolicyStatement> statementFromAddPermission(const rapidjson::Value& body, const std::string& resourceArn);

// The policy document GetPolicy returns as a string.
std::string policyDocument(const FunctionPolicy& policy);

}  // namespace cdnlab::lambda
