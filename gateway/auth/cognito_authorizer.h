// Cognito user pool authorizers of REST APIs (type COGNITO_USER_POOLS), pure part (no sockets):
// a provider ARN's user pool and token issuer, and the validation API Gateway performs on the
// token a client sends (an ID or access token of one of the authorizer's pools): RS256 signature
// with the pool's JWKS (gateway/auth/jwt.h), exp, iss, token_use, the method's
// authorizationScopes, and the claims as REST APIs pass them on ($context.authorizer.claims and
// requestContext.authorizer.claims). The JWKS fetching and the request path are in
// gateway/rest/rest_authorize.*.
#pragma once

#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "gateway/auth/jwt_parts.h"

namespace cdnlab::gateway {

// arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID.
struct CognitoUserPool {
  std::string region;
  std::string poolId;
  std::string issuer;  // https://cognito-idp.REGION.amazonaws.com/POOL_ID (the tokens' iss)
};
Result<CognitoUserPool> cognitoUserPoolOf(std::string_view providerArn);
// The pools of an authorizer's providerARNs (checked when it was defined; malformed ones are skipped).
std::vector<CognitoUserPool> cognitoUserPoolsOf(const std::vector<std::string>& providerArns);

// Where the lab fetches a pool's key set from: with a base URL (--cognito-idp-endpoint, e.g.
// http://127.0.0.1:9229) "<base>/<POOL_ID>" (the JWKS is then found by OpenID discovery or at
// <base>/<POOL_ID>/.well-known/jwks.json, as cognito-idp serves them); without one, the issuer.
std::string cognitoKeySource(const CognitoUserPool& pool, std::string_view endpoint);

// Why a token was refused, as API Gateway answers it: 401 {"message":"Unauthorized"}, or 401
// {"message":"The incoming token has expired"}.
struct CognitoRefusal {
  bool expired = false;
  std::string reason;  // for logs and $context.authorizer.error
  std::string message() const { return expired ? "The incoming token has expired" : "Unauthorized"; }
};

struct CognitoClaims {
  std::string claimsJson;  // {"sub": "...", ...}: every claim as a string, REST's rendering
  std::string tokenUse;    // id | access
  std::vector<std::string> scopes;
};

// What a request to a method with this authorizer must satisfy.
struct CognitoCheck {
  const std::vector<CognitoUserPool>* pools = nullptr;       // the authorizer's providerARNs
  const std::vector<std::string>* scopes = nullptr;          // the method's authorizationScopes
  const std::regex* audiencePattern = nullptr;               // identityValidationExpression over aud
  int64_t nowEpochSeconds = 0;
};

// The pool the token claims to come from (its unverified iss among the authorizer's pools), so
// that its key set can be fetched; null (and `why`) when it names another issuer.
const CognitoUserPool* cognitoPoolOfToken(const JwtParts& token, const CognitoCheck& check, CognitoRefusal& why);

// The whole validation with that pool's key set. Without method scopes an ID or an access token
// is accepted; with scopes only an access token whose "scope" names one of them.
bool validateCognitoToken(const JwtParts& token, const Jwks& keys, const CognitoCheck& check, CognitoClaims& out,
                          CognitoRefusal& why);

// requestContext.authorizer of the Lambda proxy event: {"claims": {...}, "scopes": [...] for an
// access token, null for an ID token}.
std::string cognitoAuthorizerJson(const CognitoClaims& c);

// A claim value as REST APIs render it: strings as they are, exp and iat as dates
// ("Tue Dec 01 10:00:00 UTC 2026"), other numbers and booleans as their JSON text, lists joined
// with ','.
std::string cognitoClaimText(std::string_view name, const rapidjson::Value& v);

}  // namespace cdnlab::gateway
