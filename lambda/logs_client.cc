// Reading function logs from a running service (see logs_client.h).
#include "lambda/logs_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "lambda/json.h"

namespace cdnlab::lambda {

namespace {

Result<std::string> httpGet(const std::string& host, int port, const std::string& target) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{1, "socket failed"};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    return Error{1, "--endpoint must be http://<IPv4>:<port>"};
  }
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Error{1, "cannot connect to " + host + ":" + std::to_string(port)};
  }
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return Error{1, "send failed"};
  }
  std::string resp;
  char buf[65536];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    resp.append(buf, static_cast<size_t>(n));
    if (resp.size() > (64u << 20)) break;
  }
  ::close(fd);
  size_t end = resp.find("\r\n\r\n");
  if (resp.rfind("HTTP/1.1 200", 0) != 0 || end == std::string::npos) return Error{1, "unexpected answer from the service"};
  return resp.substr(end + 4);
}

}  // namespace

Result<bool> printLogs(const LogsRequest& r, FILE* out) {
  std::string ep = r.endpoint;
  if (ep.rfind("http://", 0) == 0) ep = ep.substr(7);
  while (!ep.empty() && ep.back() == '/') ep.pop_back();
  size_t colon = ep.rfind(':');
  if (colon == std::string::npos) return Error{2, "--endpoint must be http://<host>:<port>"};
  std::string host = ep.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  int port = std::atoi(ep.c_str() + colon + 1);
  uint64_t after = 0;
  while (true) {
    auto body = httpGet(host, port, "/_cdnlab/logs/" + r.function + "?after=" + std::to_string(after));
    if (!body) return body.error();
    rapidjson::Document d;
    d.Parse(body->data(), body->size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("lines") || !d["lines"].IsArray())
      return Error{1, "malformed answer from the service"};
    if (after == 0 && d.HasMember("exists") && d["exists"].IsBool() && !d["exists"].GetBool() && !r.follow)
      return Error{1, "Function not found: " + r.function};
    for (auto& l : d["lines"].GetArray()) {
      if (!l.IsObject() || !l.HasMember("time") || !l.HasMember("stream") || !l.HasMember("text")) continue;
      std::fprintf(out, "%s %s %s\n", l["time"].GetString(), l["stream"].GetString(), l["text"].GetString());
    }
    std::fflush(out);
    uint64_t next = d.HasMember("next") && d["next"].IsUint64() ? d["next"].GetUint64() : after;
    bool more = next != after && d["lines"].Size() >= 1000;
    after = next;
    if (more) continue;
    if (!r.follow) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(r.pollMs));
  }
}

}  // namespace cdnlab::lambda
