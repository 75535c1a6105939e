// One client request's walk through the edge request path (steps.h): everything the steps
// decide is recorded here, so the driver loop (fsm.cc) is just "run the current step, go to the
// one it names, stop when it parks or is done". Pure: no libuv; a transaction is touched only
// on the worker thread that owns it (wakes from other threads are posted back, see Io::post).
#pragma once

#include "common/buffer.h"
#include "common/http/message.h"
#include "common/result.h"
#include "edge/cache/cache_key.h"
#include "edge/cache/entry.h"
#include "edge/cache/collapse.h"
#include "edge/cache/freshness.h"
#include "edge/pop/behaviors.h"
#include "edge/pop/function_set.h"
#include "edge/pop/steps.h"
#include "lambda/edge/event.h"
#include "lambda/edge/result.h"
#include "lambda/native/function.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cdnlab::edge::pop {

// What the Fetch step sends upstream (to a shield PoP or the origin).
struct UpstreamRequest {
  std::string method = "GET";
  std::string target;  // origin-form, upstream base path already prefixed
  // The behavior's origin (host empty: the PoP's --upstream); each has its own connection pool.
  std::string host;
  uint16_t port = 0;
  http::Headers headers;
  Buffer body;
  // Interim responses (103 Early Hints) from upstream, forwarded as they come; never cached.
  std::function<void(int, http::Headers)> onInterim;
};

struct UpstreamResponse {
  int status = 0;
  http::Headers headers;
  Buffer body;
};

// A failed upstream exchange: Error::code is the status to answer (502 refused / reset /
// malformed, 504 timed out), Error::message says why (sent to the client in the body).
using UpstreamResult = Result<UpstreamResponse>;

class Transaction;
using TransactionPtr = std::shared_ptr<Transaction>;

// What a transaction needs from its worker: an upstream and a way back onto its own thread.
// The live driver implements it with the per-loop HttpClient and HttpServer::post; unit tests
// with a fake that records requests and lets the test answer them.
class Io {
 public:
  virtual ~Io() = default;
  // Sends `request` upstream. `done` fires exactly once, on this worker's thread, never from
  // inside this call.
  virtual void fetch(UpstreamRequest request, std::function<void(UpstreamResult)> done) = 0;
  // Runs fn later on this worker's thread. Thread-safe: a collapse waker calls it from the
  // leader's thread. If the worker is stopping, fn may be dropped without running.
  virtual void post(std::function<void()> fn) = 0;
  // Runs fn on this worker's thread once the current pass of its loop has run its callbacks, with
  // no wake-up (a post to the loop's own thread costs an eventfd write and an extra poll round).
  // The default posts. Not thread-safe: call it on the worker's own thread.
  virtual void atPassEnd(std::function<void()> fn) { post(std::move(fn)); }
  // Sets what runs on this worker's thread each time its loop is about to wait for I/O while the
  // hook is armed (a libuv prepare handle): a caller that polls for results another thread hands
  // back (the edge-function lane) instead of being woken for each. False when this Io has no
  // such phase (the default, e.g. a unit-test fake): the caller then relies on post(). Not
  // thread-safe, like armBeforeWait: call them on the worker's own thread.
  virtual bool setBeforeWait(std::function<void()> fn) {
    (void)fn;
    return false;
  }
  virtual void armBeforeWait(bool on) { (void)on; }
  // Sends `request` to another HTTP service (the Lambda service's Invoke API, for `lambda:` edge
  // functions) at host:port. `done` fires exactly once, on this worker's thread, never from
  // inside this call. The default answers 502 (an Io without a client, e.g. a unit-test fake).
  virtual void callService(std::string host, int port, UpstreamRequest request,
                           std::function<void(UpstreamResult)> done) {
    (void)host;
    (void)port;
    (void)request;
    post([done = std::move(done)] { done(Error{502, "this worker cannot call other services"}); });
  }
};

// Why the PoP answers by itself (the Synth step).
struct SynthReason {
  int status = 500;
  std::string text;
};

class Transaction : public std::enable_shared_from_this<Transaction> {
 public:
  Step step = Step::Route;
  Io* io = nullptr;            // the owning worker's
  http::Request request;       // the client's request (or a background refresh's)
  bool background = false;     // a stale-while-revalidate refresh: nobody waits for a response

  // Route: the cache behavior selected for the request path (null when the PoP has none) and
  // its index (metrics, freshness settings).
  const Behavior* behavior = nullptr;
  size_t behaviorIndex = 0;

  // Recv / Hash
  cache::CacheControl requestCc;
  cache::CacheKey key;
  bool pass = false;           // forward without the cache (method, loop guard)

  // Lookup / Hit
  std::shared_ptr<const cache::Entry> entry;  // the entry found (or stored, or refreshed)
  cache::Decision decision;                   // its freshness at lookup time
  bool revalidating = false;                  // the fetch is conditional on `entry`
  // A range miss: the fill asks for bytes 0..cap-1 to learn whether the object fits the
  // range-fill cap (PopConfig::rangeFillMaxBytes); larger objects are passed with the client's
  // own Range and not stored.
  bool rangeProbe = false;
  bool leader = false;                        // this transaction fills the key for others
  uint64_t leaderToken = 0;
  bool joinedFlight = false;                  // parked behind another fill at least once
  bool collapseDone = false;                  // after a wake: look up, never join again
  std::optional<cache::Wake> wake;            // set while resuming from a follower wait

  // Fetch / OriginResponse
  std::optional<UpstreamResult> upstream;
  int64_t requestTimeMs = 0;   // wall clock, for Age arithmetic (RFC 9111 4.2.3)
  int64_t upstreamStartNs = 0;
  int64_t upstreamNs = 0;      // time spent waiting for upstream

  // Deliver / Synth
  std::optional<Outcome> outcome;  // exactly one, set before Done
  SynthReason synth;
  http::Headers synthHeaders;      // extra fields of a Synth answer (e.g. Allow on a 405)
  http::Response response;         // uncached response to forward (Pass, not stored, Synth)
  bool fromEntry = false;          // Deliver builds the response from `entry`

  // Edge functions (functions.cc): the result of the one in flight, set when it comes back on
  // this worker's thread; the time all of them took (Server-Timing fn;dur=).
  // The PoP's edge-function associations as they were when this transaction first looked: kept
  // for its whole life, so a reload (SIGHUP) never switches a request's functions mid-way.
  FunctionSetPtr functionSet;
  std::optional<lambda::native::NativeOutput> functionOutput;
  // Its result parsed and validated where it was produced (off this loop, see functions.cc).
  std::optional<Result<lambda::edge::FunctionResult>> functionResult;
  // What the function in flight was given (its result is validated against it).
  lambda::edge::EdgeRequest functionRequest;
  lambda::edge::EdgeResponse functionResponse;
  int64_t functionStartNs = 0;
  int64_t functionNs = 0;
  bool ranFunction = false;          // at least one edge function answered (Server-Timing shows fn)
  bool originRequestDone = false;    // FnOriginRequest ran (Fetch may run twice: a 304 for another representation)
  bool responseReady = false;        // Synth keeps tx.response: an edge function generated it
  bool skipViewerResponse = false;   // generated at viewer-request: CloudFront skips viewer-response

  int64_t startNs = 0;             // monotonic, when Recv began
  // Called once at Done with the final response (not for background refreshes).
  std::function<void(Transaction&)> onDone;
  // Sends an interim (1xx) response to this transaction's client; empty: none are forwarded.
  std::function<void(int, const http::Headers&)> onInterim;

  TransactionPtr ptr() { return shared_from_this(); }
};

}  // namespace cdnlab::edge::pop
