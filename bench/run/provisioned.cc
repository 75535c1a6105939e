// Reading and waiting for provisioned concurrency (see provisioned.h).
#include "bench/run/provisioned.h"

#include <rapidjson/document.h>

#include <thread>

#include "bench/run/http_call.h"

namespace cdnlab::bench::run {
namespace {

// The alias `up` provisions (deploy.cc): integrations reach the functions as NAME:live.
constexpr const char* kQualifier = "live";
constexpr auto kPollInterval = std::chrono::milliseconds(100);

int intMember(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  return it != o.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : 0;
}

std::string stringMember(const rapidjson::Value& o, const char* name) {
  auto it = o.FindMember(name);
  return it != o.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

}  // namespace

std::vector<std::string> provisionedFunctions(const geo::Topology& topo) {
  std::vector<std::string> out;
  if (!topo.app.lambda) return out;
  for (const auto& f : topo.app.functions)
    if (f.provisionedConcurrency > 0) out.push_back(f.name);
  return out;
}

Result<bool> requestProvisioned(const geo::Topology& topo) {
  HttpSession session(10000);
  for (const auto& f : topo.app.functions) {
    if (f.provisionedConcurrency <= 0 || !topo.app.lambda) continue;
    HttpCall c;
    c.to = topo.app.lambda->address;
    c.method = "PUT";
    c.target = "/2019-09-30/functions/" + f.name + "/provisioned-concurrency?Qualifier=" + kQualifier;
    c.headers = {{"Content-Type", "application/json"}};
    c.body = "{\"ProvisionedConcurrentExecutions\":" + std::to_string(f.provisionedConcurrency) + "}";
    auto reply = session.call(c);
    if (!reply.ok()) return Error{1, "PutProvisionedConcurrencyConfig " + f.name + ": " + reply.error().message};
    if (reply->status / 100 != 2)
      return Error{1, "PutProvisionedConcurrencyConfig " + f.name + ": HTTP " + std::to_string(reply->status) + " " +
                          reply->body.substr(0, 200)};
  }
  return true;
}

Result<std::vector<ProvisionedState>> readProvisioned(const geo::Topology& topo) {
  std::vector<ProvisionedState> out;
  const auto names = provisionedFunctions(topo);
  if (names.empty()) return out;
  HttpSession session(2000);
  for (const auto& name : names) {
    HttpCall c;
    c.to = topo.app.lambda->address;
    c.target = "/2019-09-30/functions/" + name + "/provisioned-concurrency?Qualifier=" + kQualifier;
    auto reply = session.call(c);
    if (!reply.ok())
      return Error{1, "the Lambda service at " + c.to.str() + " does not answer: " + reply.error().message};
    rapidjson::Document d;
    d.Parse(reply->body.c_str());
    if (reply->status != 200 || d.HasParseError() || !d.IsObject())
      return Error{1, "GetProvisionedConcurrencyConfig " + name + ": HTTP " + std::to_string(reply->status) + " " +
                          reply->body.substr(0, 200)};
    ProvisionedState s;
    s.function = name;
    s.requested = intMember(d, "RequestedProvisionedConcurrentExecutions");
    s.available = intMember(d, "AvailableProvisionedConcurrentExecutions");
    s.status = stringMember(d, "Status");
    s.reason = stringMember(d, "StatusReason");
    out.push_back(std::move(s));
  }
  return out;
}

std::string describeProvisioned(const std::vector<ProvisionedState>& states) {
  std::string s;
  for (const auto& p : states)
    s += (s.empty() ? "" : ", ") + p.function + " " + std::to_string(p.available) + "/" + std::to_string(p.requested);
  return s;
}

Result<std::chrono::milliseconds> waitForProvisioned(
    const geo::Topology& topo, std::chrono::milliseconds timeout,
    const std::function<void(const std::vector<ProvisionedState>&)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string lastSeen;
  while (true) {
    auto states = readProvisioned(topo);
    if (!states.ok()) return states.error();
    bool ready = true;
    for (const auto& s : *states) {
      if (s.status == "FAILED")
        return Error{1, "provisioned concurrency of " + s.function + " failed: " + s.reason};
      ready &= s.status == "READY";
    }
    const std::string seen = describeProvisioned(*states);
    if (progress && seen != lastSeen) progress(*states);
    lastSeen = seen;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    if (ready) return waited;
    if (waited >= timeout)
      return Error{1, "provisioned concurrency not ready after " + std::to_string(timeout.count()) + " ms (" + seen + ")"};
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace cdnlab::bench::run
