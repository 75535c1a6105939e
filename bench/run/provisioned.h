// Provisioned concurrency of a running topology's functions: `cdnlab up` asks for it once every
// component is ready (PutProvisionedConcurrencyConfig on the alias `live`) and the Lambda service
// starts those environments in the background, so `up` itself stays quick. These calls read their state
// back the way an AWS user does (GetProvisionedConcurrencyConfig until Status is READY): the
// foreground `up` says when they are ready, `cdnlab up --wait` and `cdnlab load` wait for them,
// so a run never starts while its functions would throttle.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "geo/topology.h"

namespace cdnlab::bench::run {

struct ProvisionedState {
  std::string function;
  int requested = 0;
  int available = 0;
  std::string status;  // IN_PROGRESS, READY, FAILED
  std::string reason;  // FAILED: why
};

// The functions of the topology with provisioned concurrency (empty: nothing to wait for).
std::vector<std::string> provisionedFunctions(const geo::Topology& topo);

// PutProvisionedConcurrencyConfig on the alias `live` of each such function (the deploy step
// created the alias). `up` calls it once every component is ready: the Lambda service then starts
// the environments in the background while no other component is starting.
Result<bool> requestProvisioned(const geo::Topology& topo);

// One GetProvisionedConcurrencyConfig per such function; an error when the Lambda service does
// not answer or answers something else than a configuration.
Result<std::vector<ProvisionedState>> readProvisioned(const geo::Topology& topo);

// "get-product 6/8, list-category 4/4" (available / requested).
std::string describeProvisioned(const std::vector<ProvisionedState>& states);

// Polls every 100 ms until every function is READY: the time waited. An error when one is
// FAILED, the Lambda service stops answering, or `timeout` passes (naming what is not ready).
// `progress` hears each state that differs from the last one seen.
Result<std::chrono::milliseconds> waitForProvisioned(
    const geo::Topology& topo, std::chrono::milliseconds timeout,
    const std::function<void(const std::vector<ProvisionedState>&)>& progress = {});

}  // namespace cdnlab::bench::run
