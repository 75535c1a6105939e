// Registry: every function record of the service, keyed by name, and their persistence as
// <data>/functions/<name>/function.json (written to a temporary file, then renamed, so a crash
// leaves the old or the new record, never half of one). Single-threaded: it lives on the
// service's loop thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "lambda/api_result.h"
#include "lambda/code_store.h"
#include "lambda/function_model.h"

namespace cdnlab::lambda {

// What a (name, qualifier) pair designates.
struct Resolved {
  FunctionRecord* record = nullptr;
  const FunctionConfig* config = nullptr;
  std::string version;    // "$LATEST" or "3"
  std::string qualifier;  // as given ("$LATEST", "3", "live") or empty
};

class Registry {
 public:
  // persist=false: records live in memory only (code is still extracted below `dataDir`, which
  // then is a temporary directory the caller removes).
  Registry(std::string dataDir, bool persist, AccountInfo account);

  // Reads every stored record; an unreadable one is an error naming its file and field.
  Result<bool> load();

  FunctionRecord* find(const std::string& name);
  // Resolves a function name (or ARN) and qualifier: $LATEST, a version number, an alias.
  ApiResult<Resolved> resolve(const std::string& nameOrArn, const std::string& qualifier);
  std::vector<FunctionRecord*> all();  // sorted by name

  FunctionRecord& insert(FunctionRecord record);
  void erase(const std::string& name);
  // Persists the record (no-op in memory mode).
  Result<bool> save(const FunctionRecord& record);

  CodeStore& code() { return code_; }
  const AccountInfo& account() const { return account_; }

 private:
  std::string dataDir_;
  bool persist_;
  AccountInfo account_;
  CodeStore code_;
  std::map<std::string, FunctionRecord> records_;
};

std::string notFoundMessage(const AccountInfo& a, const std::string& name, const std::string& qualifier);

}  // namespace cdnlab::lambda
