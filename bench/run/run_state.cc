// Run directory and state file of `cdnlab up --detach` / `cdnlab down` (see run_state.h).
#include "bench/run/run_state.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cdnlab::bench::run {

namespace {

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  while (true) {
    auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

bool parsePid(const std::string& text, pid_t& out) {
  if (text.empty() || text.size() > 10) return false;
  long v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v <= 0 || v > 0x7fffffffL) return false;
  out = static_cast<pid_t>(v);
  return true;
}

}  // namespace

std::string runDirectory(const std::string& name) {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg && *xdg) return std::string(xdg) + "/cdnlab/" + name;
  return "/tmp/cdnlab-" + std::to_string(::getuid()) + "/" + name;
}

Result<bool> makeRunDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{1, "cannot create " + dir + ": " + ec.message()};
  // Private: the state file decides which PIDs `down` signals.
  ::chmod(dir.c_str(), 0700);
  return true;
}

std::string topologyName(const std::string& topologyFile) {
  if (topologyFile.empty()) return "default";
  std::string stem = std::filesystem::path(topologyFile).stem().string();
  return stem.empty() ? "default" : stem;
}

std::string runKey(const std::string& topologyFile) {
  if (topologyFile.empty()) return "default";
  std::error_code ec;
  std::filesystem::path full = std::filesystem::weakly_canonical(std::filesystem::absolute(topologyFile, ec), ec);
  if (ec) full = std::filesystem::absolute(topologyFile).lexically_normal();
  // FNV-1a 64: stable across builds and machines (std::hash is not), plenty for a few runs.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : full.string()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return topologyName(topologyFile) + "-" + hex;
}

std::string formatState(const RunState& s) {
  std::ostringstream o;
  o << "# cdnlab up state: the processes `cdnlab down` stops\n";
  o << "topology\t" << s.topology << "\n";
  o << "supervisor\t" << s.supervisor << "\n";
  for (const auto& c : s.components)
    o << "component\t" << c.name << "\t" << c.kind << "\t" << c.pid << "\t" << c.address << "\t" << c.admin << "\n";
  return o.str();
}

Result<RunState> parseState(const std::string& text) {
  RunState s;
  std::istringstream in(text);
  std::string line;
  int lineNo = 0;
  auto bad = [&](const char* why) { return Error{1, "state line " + std::to_string(lineNo) + ": " + why}; };
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line[0] == '#') continue;
    auto f = splitTabs(line);
    if (f[0] == "topology" && f.size() == 2) {
      s.topology = f[1];
    } else if (f[0] == "supervisor" && f.size() == 2) {
      if (f[1] != "0" && !parsePid(f[1], s.supervisor)) return bad("bad supervisor pid");
    } else if (f[0] == "component" && f.size() == 6) {
      StateEntry e{f[1], f[2], 0, f[4], f[5]};
      if (!parsePid(f[3], e.pid)) return bad("bad pid");
      s.components.push_back(std::move(e));
    } else {
      return bad("unknown line");
    }
  }
  return s;
}

Result<bool> writeStateFile(const std::string& path, const RunState& s) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << formatState(s);
    if (!out.flush()) return Error{1, "cannot write " + tmp};
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Error{1, "cannot rename to " + path + ": " + std::strerror(errno)};
  return true;
}

Result<RunState> readStateFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{2, "no state file " + path};
  std::ostringstream text;
  text << in.rdbuf();
  auto s = parseState(text.str());
  if (!s.ok()) return Error{1, path + ": " + s.error().message};
  return s;
}

std::vector<std::string> processArgs(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> args;
  if (!in) return args;
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  return args;
}

bool isComponentProcess(const std::vector<std::string>& args, const std::string& kind, const std::string& address) {
  if (args.size() < 2) return false;
  if (std::filesystem::path(args[0]).filename() != "cdnlab" || args[1] != kind) return false;
  for (size_t i = 2; i + 1 < args.size(); ++i)
    if (args[i] == "--listen" && args[i + 1] == address) return true;
  return false;
}

bool isSupervisorProcess(const std::vector<std::string>& args) {
  if (args.size() < 2 || std::filesystem::path(args[0]).filename() != "cdnlab") return false;
  return args[1] == "up" || args[1] == "demo";
}

bool isStillComponent(const StateEntry& e) { return isComponentProcess(processArgs(e.pid), e.kind, e.address); }

}  // namespace cdnlab::bench::run
