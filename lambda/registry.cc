// Function records and their files (see registry.h).
#include "lambda/registry.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/parse_integer.h"

namespace cdnlab::lambda {

namespace fs = std::filesystem;

Registry::Registry(std::string dataDir, bool persist, AccountInfo account)
    : dataDir_(dataDir), persist_(persist), account_(std::move(account)), code_(dataDir) {}

Result<bool> Registry::load() {
  if (!persist_) return true;
  fs::path dir = fs::path(dataDir_) / "functions";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{1, "cannot create " + dir.string() + ": " + ec.message()};
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    fs::path file = entry.path() / "function.json";
    if (!fs::exists(file, ec)) continue;
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    auto rec = recordFromJson(ss.str());
    if (!rec) return Error{1, file.string() + ": " + rec.error().message};
    if (rec->name != entry.path().filename().string())
      return Error{1, file.string() + ": $.name: '" + rec->name + "' does not match its directory"};
    records_[rec->name] = std::move(*rec);
  }
  if (ec) return Error{1, "cannot list " + dir.string() + ": " + ec.message()};
  return true;
}

FunctionRecord* Registry::find(const std::string& name) {
  auto it = records_.find(name);
  return it == records_.end() ? nullptr : &it->second;
}

std::string notFoundMessage(const AccountInfo& a, const std::string& name, const std::string& qualifier) {
  return "Function not found: " + qualifiedArn(a, name, qualifier);
}

ApiResult<Resolved> Registry::resolve(const std::string& nameOrArn, const std::string& qualifierParam) {
  auto ref = parseFunctionRef(nameOrArn);
  if (!ref)
    return validationError(nameOrArn, "functionName",
                           "Member must satisfy regular expression pattern: "
                           "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
                           "([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  std::string qualifier = ref->qualifier;
  if (!qualifierParam.empty()) {
    if (!qualifier.empty() && qualifier != qualifierParam)
      return invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
    qualifier = qualifierParam;
  }
  FunctionRecord* rec = find(ref->name);
  if (!rec) return resourceNotFound(notFoundMessage(account_, ref->name, qualifier));
  Resolved r;
  r.record = rec;
  r.qualifier = qualifier;
  if (qualifier.empty() || qualifier == "$LATEST") {
    r.config = &rec->latest;
    r.version = "$LATEST";
    return r;
  }
  bool digits = std::all_of(qualifier.begin(), qualifier.end(), [](char c) { return c >= '0' && c <= '9'; });
  std::string version = qualifier;
  if (!digits) {
    auto a = rec->aliases.find(qualifier);
    if (a == rec->aliases.end()) return resourceNotFound(notFoundMessage(account_, ref->name, qualifier));
    version = a->second.functionVersion;
  }
  if (version == "$LATEST") {
    r.config = &rec->latest;
    r.version = "$LATEST";
    return r;
  }
  auto number = parseInteger<int>(version);  // "1abc" or "+1" is no version, not version 1
  auto v = number ? rec->versions.find(*number) : rec->versions.end();
  if (v == rec->versions.end()) return resourceNotFound(notFoundMessage(account_, ref->name, qualifier));
  r.config = &v->second;
  r.version = version;
  return r;
}

std::vector<FunctionRecord*> Registry::all() {
  std::vector<FunctionRecord*> out;
  for (auto& [n, r] : records_) out.push_back(&r);
  return out;
}

FunctionRecord& Registry::insert(FunctionRecord record) {
  std::string name = record.name;
  return records_[name] = std::move(record);
}

void Registry::erase(const std::string& name) {
  records_.erase(name);
  code_.removeFunction(name);
  if (persist_) {
    std::error_code ec;
    fs::remove_all(fs::path(dataDir_) / "functions" / name, ec);
  }
}

Result<bool> Registry::save(const FunctionRecord& record) {
  if (!persist_) return true;
  fs::path dir = fs::path(dataDir_) / "functions" / record.name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path tmp = dir / "function.json.tmp";
  std::string json = recordToJson(record);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{1, "cannot write " + tmp.string()};
  size_t off = 0;
  while (off < json.size()) {
    ssize_t w = ::write(fd, json.data() + off, json.size() - off);
    if (w < 0) {
      ::close(fd);
      return Error{1, "cannot write " + tmp.string()};
    }
    off += static_cast<size_t>(w);
  }
  ::fsync(fd);
  ::close(fd);
  fs::rename(tmp, dir / "function.json", ec);
  if (ec) return Error{1, "cannot rename " + tmp.string() + ": " + ec.message()};
  return true;
}

}  // namespace cdnlab::lambda
