// What the Lambda service knows about a function: the configuration each version freezes, the
// aliases, the concurrency settings, and how they render as AWS's FunctionConfiguration /
// AliasConfiguration JSON. Pure data and rules (no I/O); the registry owns the records.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "lambda/api_error.h"
#include "lambda/event_invoke_config.h"
#include "lambda/json.h"

namespace cdnlab::lambda {

// Where the service runs: ARNs are built from these.
struct AccountInfo {
  std::string region = "us-east-1";
  std::string accountId = "000000000000";
};

// The code of one version: the zip as uploaded and the directory it was extracted to.
struct CodeRef {
  std::string sha256;   // base64 of the zip's SHA-256 (CodeSha256)
  int64_t size = 0;     // zip bytes (CodeSize)
  std::string zipPath;
  std::string dir;      // LAMBDA_TASK_ROOT
  bool localDirectory = false;  // dir is the user's own directory (hot reload), zipPath is empty
};

// One version's configuration ($LATEST is mutable, published versions are frozen copies).
struct FunctionConfig {
  std::string runtime;
  std::string handler;
  std::string role;
  std::string description;
  int timeoutSeconds = 3;
  int memoryMb = 128;
  std::map<std::string, std::string> environment;
  std::string architecture = "x86_64";  // Architectures[0]: "x86_64" or "arm64" (recorded; code runs natively)
  std::string tracingMode = "PassThrough";  // TracingConfig.Mode (recorded: there is no X-Ray)
  int ephemeralStorageMb = 512;             // EphemeralStorage.Size (recorded: /tmp is the machine's)
  CodeRef code;
  int64_t lastModifiedMs = 0;
  std::string revisionId;
  std::string version = "$LATEST";
};

struct Alias {
  std::string name;
  std::string functionVersion;
  std::string description;
  std::string revisionId;
};

// One statement of a resource-based policy (AddPermission), and the policy of one qualifier.
struct PolicyStatement {
  std::string sid;
  std::string json;  // the statement object as GetPolicy shows it
};
struct FunctionPolicy {
  std::vector<PolicyStatement> statements;  // in the order they were added
  std::string revisionId;
};

struct FunctionRecord {
  std::string name;
  FunctionConfig latest;
  std::map<int, FunctionConfig> versions;  // published, immutable
  int lastVersion = 0;
  std::map<std::string, Alias> aliases;
  std::optional<int> reservedConcurrency;
  std::map<std::string, int> provisioned;       // qualifier -> requested environments
  std::map<std::string, int64_t> provisionedModifiedMs;
  std::map<std::string, EventInvokeConfig> eventInvokeConfigs;  // qualifier ("$LATEST", "2", alias) -> config
  std::map<std::string, std::string> tags;  // on the function (AWS tags no version or alias)
  std::map<std::string, FunctionPolicy> policies;  // qualifier ("" = the function itself) -> policy
};

// Runtimes this service runs and how: process runtimes, and "cdnlab-native" (in-process C ABI).
enum class RuntimeKind { Node, Python, Provided, Native };
std::optional<RuntimeKind> runtimeKind(std::string_view runtime);
const std::vector<std::string>& supportedRuntimes();

// Names: "my-fn", "arn:aws:lambda:us-east-1:000000000000:function:my-fn", "000000000000:function:my-fn",
// each optionally ending in ":<qualifier>".
struct FunctionRef {
  std::string name;
  std::string qualifier;  // empty: none given
};
Result<FunctionRef> parseFunctionRef(std::string_view text);
bool validFunctionName(std::string_view name);
bool validAliasName(std::string_view name);

std::string functionArn(const AccountInfo& a, std::string_view name);
std::string qualifiedArn(const AccountInfo& a, std::string_view name, std::string_view qualifier);

// Limits AWS enforces on configuration fields; each returns the error AWS answers with.
std::optional<ApiError> checkTimeout(int64_t seconds);
std::optional<ApiError> checkMemory(int64_t mb);
std::optional<ApiError> checkRuntime(std::string_view runtime);
std::optional<ApiError> checkHandler(std::string_view handler);
std::optional<ApiError> checkEnvironment(const std::map<std::string, std::string>& vars);
// Role: an IAM role ARN, arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+.
std::optional<ApiError> checkRole(std::string_view role);
// Architectures: exactly one of x86_64, arm64.
std::optional<ApiError> checkArchitectures(const std::vector<std::string>& list);
// Tags: at most 50, keys 1-128 characters not starting with "aws:", values at most 256.
std::optional<ApiError> checkTags(const std::map<std::string, std::string>& tags);

// FunctionConfiguration as GetFunctionConfiguration returns it. FunctionArn carries
// `arnQualifier` when one is given (the alias or "$LATEST" a caller asked for, as AWS answers),
// else the version's own number (none for $LATEST).
void writeFunctionConfiguration(JsonWriter& w, const AccountInfo& a, const std::string& name,
                                const FunctionConfig& c, std::string_view arnQualifier = {});
std::string functionConfigurationJson(const AccountInfo& a, const std::string& name, const FunctionConfig& c,
                                      std::string_view arnQualifier = {});
std::string aliasJson(const AccountInfo& a, const std::string& function, const Alias& alias);

// Persistence of a whole record ("function.json"); errors name the field.
std::string recordToJson(const FunctionRecord& r);
Result<FunctionRecord> recordFromJson(std::string_view json);

}  // namespace cdnlab::lambda
