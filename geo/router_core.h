// The router's decision, without sockets: which edge PoP a client should use. The client is
// located by its address through libmaxminddb (the connection's peer, or the X-Forwarded-For
// client when the peer is a trusted forwarder), then PopSelector picks among the PoPs the health
// checker last saw healthy. router_server.cc puts this behind HTTP (302 + Location).
//
// Threading: one RouterCore per router process, used only on the router's loop thread (the
// HTTP handler and the health checker share that loop), so health state needs no lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/geo_db.h"
#include "geo/pop_selector.h"
#include "geo/topology.h"

namespace cdnlab::geo {

// Health and counters of one edge PoP, as the router sees it.
struct PopState {
  PopSpec spec;
  bool healthy = true;  // optimistic until the first check says otherwise
  int consecutiveFailures = 0;
  int consecutiveSuccesses = 0;
  uint64_t checks = 0;
  uint64_t failedChecks = 0;
  uint64_t routed = 0;      // clients sent here
  double lastCheckMs = -1;  // duration of the last check; -1 before the first
  std::string lastError;    // empty after a success
};

struct ClientInfo {
  std::string address;  // the address that was looked up
  bool fromForwardedFor = false;
  std::optional<GeoRecord> record;  // nullopt: no database knows the address
};

struct RouteDecision {
  int status = 302;            // 302, or 503 when no PoP is healthy
  const PopState* pop = nullptr;
  std::string location;        // http://<pop host>:<port><target>
  ClientInfo client;
  bool usedFallback = false;   // client location unknown: routed as if at the fallback PoP
  std::optional<Selection> selection;
};

class RouterCore {
 public:
  // `dbs` are consulted in order; the first with a record for the address wins (e.g. the
  // topology's own loopback DB, then a real-world City DB).
  RouterCore(const Topology& topo, std::vector<std::unique_ptr<GeoDb>> dbs);

  // The client address to locate: the peer, or the client named by X-Forwarded-For when the
  // peer is trusted. XFF is read right to left, skipping trusted forwarders, so a client
  // cannot spoof its way past the last trusted hop by prepending addresses.
  std::string clientAddress(std::string_view peerIp, std::optional<std::string_view> forwardedFor) const;
  bool isTrusted(std::string_view ip) const;
  ClientInfo locate(std::string_view peerIp, std::optional<std::string_view> forwardedFor) const;

  // The whole decision for one request. `target` is the request-target (path and query) that
  // the Location keeps; `draw` in [0, 1) feeds the weighted strategy.
  RouteDecision route(std::string_view peerIp, std::optional<std::string_view> forwardedFor,
                      std::string_view target, double draw = 0.0);

  // Health checker results. Returns true when the PoP's health flipped.
  bool recordCheck(size_t popIndex, bool ok, double durationMs, std::string error);

  const std::vector<PopState>& pops() const { return pops_; }
  const Topology& topology() const { return topo_; }
  // /pops as JSON: every edge PoP with its health and counters.
  std::string popsJson() const;

 private:
  const Topology& topo_;
  std::vector<std::unique_ptr<GeoDb>> dbs_;
  std::vector<PopState> pops_;  // the edge PoPs, in topology order
  PopSelector selector_;
  size_t fallback_ = 0;
};

}  // namespace cdnlab::geo
