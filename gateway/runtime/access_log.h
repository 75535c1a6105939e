// Access logs per stage: the stage's format with $context variables substituted, one line per
// request, appended to a file. A destinationArn "arn:aws:logs:<region>:<acct>:log-group:NAME"
// writes <data>/logs/NAME.log (a local stand-in for the CloudWatch log group); any other value
// is a file path. JSON formats are written as given: quote the variables yourself, as on AWS.
#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cdnlab::gateway {

// Replaces every $context.<name> (name: letters, digits, '.', '_') by lookup(name); names the
// lookup does not know, and empty values, become "-" as on AWS.
std::string renderAccessLog(std::string_view format, const std::function<std::string(std::string_view)>& lookup);

class AccessLogFile {
 public:
  explicit AccessLogFile(std::FILE* f) : f_(f) {}
  ~AccessLogFile();
  void write(const std::string& line);  // thread-safe, one line, flushed

 private:
  std::mutex mu_;
  std::FILE* f_;
};

// Opens each destination once (shared by stages and snapshots).
class AccessLogRegistry {
 public:
  explicit AccessLogRegistry(std::string dataDir) : dataDir_(std::move(dataDir)) {}
  // nullptr when the file cannot be opened (logged once).
  std::shared_ptr<AccessLogFile> open(const std::string& destinationArn);
  std::string pathFor(const std::string& destinationArn) const;

 private:
  std::string dataDir_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<AccessLogFile>> files_;
};

}  // namespace cdnlab::gateway
