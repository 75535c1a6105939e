// `cdnlab purge` across a running topology (see purge.h).
#include "bench/run/purge.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

#include "bench/run/default_topology.h"
#include "bench/run/run_state.h"
#include "common/config/error.h"
#include "common/percent_encode.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

namespace {

// Waits until fd is ready for `events` or the deadline passes.
bool waitFor(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

std::string humanBytes(uint64_t b) {
  char buf[32];
  if (b < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  else if (b < (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(b) / 1024);
  else std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(b) / (1 << 20));
  return buf;
}

}  // namespace

std::string purgeQuery(const PurgeRequest& r) {
  if (!r.url.empty()) return "url=" + percentEncode(r.url, true);
  if (!r.prefix.empty()) return "prefix=" + percentEncode(r.prefix, true);
  if (!r.tag.empty()) return "tag=" + percentEncode(r.tag, true);  // the admin's tag purge (docs/admin.md)
  return "all=1";
}

Result<PurgeCount> parsePurgeAnswer(int status, const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str(), body.size());
  if (status != 200) {
    std::string why = "HTTP " + std::to_string(status);
    if (!d.HasParseError() && d.IsObject() && d.HasMember("error") && d["error"].IsString())
      why += ": " + std::string(d["error"].GetString());
    return Error{1, why};
  }
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("purged") || !d["purged"].IsObject())
    return Error{1, "not a purge answer: " + body.substr(0, 120)};
  const auto& p = d["purged"];
  PurgeCount c;
  if (p.HasMember("objects") && p["objects"].IsUint64()) c.objects = p["objects"].GetUint64();
  if (p.HasMember("bytes") && p["bytes"].IsUint64()) c.bytes = p["bytes"].GetUint64();
  return c;
}

Result<AdminAnswer> adminPost(const std::string& hostPort, const std::string& target, const std::string& token,
                              int timeoutMs) {
  size_t colon = hostPort.rfind(':');
  if (colon == std::string::npos) return Error{1, "bad address " + hostPort};
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(hostPort.c_str() + colon + 1)));
  if (inet_pton(AF_INET, hostPort.substr(0, colon).c_str(), &a.sin_addr) != 1)
    return Error{1, "not a numeric IPv4 address: " + hostPort};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{1, std::string("socket: ") + std::strerror(errno)};
  auto fail = [fd](std::string why) -> Result<AdminAnswer> {
    ::close(fd);
    return Error{1, std::move(why)};
  };
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS)
    return fail(std::strerror(errno));
  if (!waitFor(fd, POLLOUT, deadline)) return fail("no answer within " + std::to_string(timeoutMs) + " ms");
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err) return fail(std::strerror(err));
  std::string req = "POST " + target + " HTTP/1.1\r\nHost: " + hostPort +
                    "\r\nUser-Agent: cdnlab-purge\r\nContent-Length: 0\r\nConnection: close\r\n";
  if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
  req += "\r\n";
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!waitFor(fd, POLLOUT, deadline)) return fail("timed out sending");
    } else {
      return fail(std::strerror(errno));
    }
  }
  // Connection: close, so the answer ends at EOF; bounded in size and time.
  std::string in;
  char buf[4096];
  while (in.size() < (1u << 16)) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      in.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno == EAGAIN || errno == EINTR) {
      if (!waitFor(fd, POLLIN, deadline)) return fail("timed out waiting for the answer");
    } else {
      return fail(std::strerror(errno));
    }
  }
  ::close(fd);
  AdminAnswer ans;
  if (in.rfind("HTTP/1.", 0) != 0 || in.size() < 12) return Error{1, "not an HTTP answer"};
  ans.status = std::atoi(in.c_str() + 9);
  size_t body = in.find("\r\n\r\n");
  if (body != std::string::npos) ans.body = in.substr(body + 4);
  return ans;
}

int runPurge(const PurgeOptions& o) {
  const PurgeRequest& r = o.request;
  int chosen = !r.url.empty() + !r.prefix.empty() + !r.tag.empty() + (r.all ? 1 : 0);
  if (chosen != 1) {
    std::fputs("cdnlab purge: give exactly one of URL, --prefix P, --tag T, --all\n", stderr);
    return 2;
  }
  const std::string stateFile = runDirectory(runKey(o.topologyFile)) + "/state";
  auto state = readStateFile(stateFile);
  if (!state.ok()) {
    std::fprintf(stderr, "cdnlab purge: nothing running for topology '%s' (%s); start it with `cdnlab up --detach%s%s`\n",
                 topologyName(o.topologyFile).c_str(), state.error().message.c_str(),
                 o.topologyFile.empty() ? "" : " ", o.topologyFile.c_str());
    return 1;
  }
  // The tiers come from the topology the run was started from.
  auto topo = o.topologyFile.empty() ? geo::loadTopologyString(defaultTopologyYaml(), kDefaultTopologyName)
                                     : geo::loadTopologyFile(o.topologyFile);
  if (!topo) {
    std::fputs(config::formatErrors(topo.errors()).c_str(), stderr);
    return 2;
  }
  struct Target {
    StateEntry entry;
    std::string tier;
    size_t depth = 0;  // upstream hops to the origin: shields near the origin come first
  };
  std::vector<Target> targets;
  for (const auto& e : state->components) {
    if (e.kind != "pop") continue;
    const geo::PopSpec* p = topo->findPop(e.name);
    Target t{e, p ? geo::tierName(p->tier) : "?", p ? topo->upstreamChain(p->id).size() : 0};
    targets.push_back(std::move(t));
  }
  std::stable_sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) {
    bool as = a.tier == "shield", bs = b.tier == "shield";
    if (as != bs) return as;
    return a.depth < b.depth;
  });
  if (targets.empty()) {
    std::fputs("cdnlab purge: the running topology has no PoPs\n", stderr);
    return 1;
  }

  const std::string what = purgeQuery(r);
  std::printf("purge %s across %zu PoP%s (shield tier first, then edges)\n", what.c_str(), targets.size(),
              targets.size() == 1 ? "" : "s");
  const std::string target = "/purge?" + what;
  PurgeCount total;
  int failed = 0;
  for (const auto& t : targets) {
    std::printf("  %-12s %-7s ", t.entry.name.c_str(), t.tier.c_str());
    if (t.entry.admin.empty()) {
      std::printf("no admin listener: not purged\n");
      ++failed;
      continue;
    }
    auto ans = adminPost(t.entry.admin, target, r.token);
    Result<PurgeCount> c = ans.ok() ? parsePurgeAnswer(ans->status, ans->body) : Result<PurgeCount>(ans.error());
    if (!c.ok()) {
      std::printf("%s: failed: %s\n", t.entry.admin.c_str(), c.error().message.c_str());
      ++failed;
      continue;
    }
    total.objects += c->objects;
    total.bytes += c->bytes;
    std::printf("%s: removed %llu object%s (%s)\n", t.entry.admin.c_str(), static_cast<unsigned long long>(c->objects),
                c->objects == 1 ? "" : "s", humanBytes(c->bytes).c_str());
  }
  std::printf("removed %llu object%s (%s) from %zu PoP%s", static_cast<unsigned long long>(total.objects),
              total.objects == 1 ? "" : "s", humanBytes(total.bytes).c_str(), targets.size() - failed,
              targets.size() - failed == 1 ? "" : "s");
  if (failed) std::printf("; %d PoP%s not purged", failed, failed == 1 ? "" : "s");
  std::printf("\n");
  std::fflush(stdout);
  if (failed) {
    std::fprintf(stderr, "cdnlab purge: %d PoP%s could not be purged: their caches may still serve the old copy\n",
                 failed, failed == 1 ? "" : "s");
    return 1;
  }
  return 0;
}

}  // namespace cdnlab::bench::run
