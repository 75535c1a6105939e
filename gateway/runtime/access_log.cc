// Access log rendering and files (see access_log.h).
#include "gateway/runtime/access_log.h"

#include <sys/stat.h>

#include <cctype>

#include "common/log.h"

namespace cdnlab::gateway {

std::string renderAccessLog(std::string_view format, const std::function<std::string(std::string_view)>& lookup) {
  static constexpr std::string_view kPrefix = "$context.";
  std::string out;
  out.reserve(format.size() + 64);
  size_t i = 0;
  while (i < format.size()) {
    if (format.compare(i, kPrefix.size(), kPrefix) == 0) {
      size_t j = i + kPrefix.size();
      while (j < format.size() && (std::isalnum(static_cast<unsigned char>(format[j])) || format[j] == '.' || format[j] == '_')) ++j;
      while (j > i + kPrefix.size() && format[j - 1] == '.') --j;  // "...$context.status." ends a sentence
      std::string v = lookup(format.substr(i + kPrefix.size(), j - i - kPrefix.size()));
      out += v.empty() ? "-" : v;
      i = j;
    } else {
      out.push_back(format[i++]);
    }
  }
  return out;
}

AccessLogFile::~AccessLogFile() {
  if (f_) std::fclose(f_);
}

void AccessLogFile::write(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), f_);
  std::fputc('\n', f_);
  std::fflush(f_);
}

std::string AccessLogRegistry::pathFor(const std::string& arn) const {
  static constexpr std::string_view kGroup = ":log-group:";
  if (arn.rfind("arn:", 0) == 0) {
    auto p = arn.find(kGroup);
    std::string name = p == std::string::npos ? arn.substr(arn.rfind(':') + 1) : arn.substr(p + kGroup.size());
    if (auto star = name.find(':'); star != std::string::npos) name.resize(star);  // "...:log-group:NAME:*"
    for (auto& c : name)
      if (c == '/') c = '_';
    return dataDir_ + "/logs/" + name + ".log";
  }
  return arn;
}

std::shared_ptr<AccessLogFile> AccessLogRegistry::open(const std::string& arn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(arn);
  if (it != files_.end()) return it->second;
  std::string path = pathFor(arn);
  if (arn.rfind("arn:", 0) == 0) ::mkdir((dataDir_ + "/logs").c_str(), 0755);
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) {
    LOG_WARN("gateway: cannot open access log %s for %s", path.c_str(), arn.c_str());
    files_[arn] = nullptr;
    return nullptr;
  }
  auto file = std::make_shared<AccessLogFile>(f);
  files_[arn] = file;
  return file;
}

}  // namespace cdnlab::gateway
