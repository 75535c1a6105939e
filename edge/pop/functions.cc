// The four Lambda@Edge steps of the request path (steps.h): FnViewerRequest, FnOriginRequest,
// FnOriginResponse, FnViewerResponse. Each finds the function associated with its trigger and
// the request path; with none it moves straight on. With one, it builds CloudFront's event,
// hands it to the FunctionRunner (native worker pool or the Lambda service: never run on this
// loop) and parks; the result is posted back to this worker, the step runs again, validates the
// result as CloudFront does and applies it. A failing function answers 503, an invalid result
// 502, for this request only; both are counted in /metrics.
#include <atomic>
#include <cinttypes>
#include <cstdio>

#include "edge/pop/core.h"
#include "lambda/edge/request_edit.h"
#include "lambda/edge/result.h"

namespace cdnlab::edge::pop {

namespace le = lambda::edge;
using lambda::native::NativeOutput;
using lambda::native::NativeStatus;

namespace {

std::string clientIpOf(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') return std::string(peer.substr(1, peer.find(']') - 1));
  size_t colon = peer.rfind(':');
  return std::string(colon == std::string_view::npos ? peer : peer.substr(0, colon));
}

// A fresh id per invocation (config.requestId): unique within the process, cheap.
std::string newRequestId(const PopCore& core) {
  static std::atomic<uint64_t> counter{0};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 "%08" PRIx64, static_cast<uint64_t>(core.clock().nowNs()),
                counter.fetch_add(1, std::memory_order_relaxed));
  return core.config().id + "-" + buf;
}

// The headers a function sees: everything but the disallowed ones (CloudFront hides them).
http::Headers visible(const http::Headers& in) {
  http::Headers out;
  out.reserve(in.size());
  for (const auto& h : in)
    if (!le::isDisallowedHeader(h.name)) out.add(h);
  return out;
}

// The function's headers plus the hidden ones it could not see (they stay as they were).
http::Headers withHidden(http::Headers fromFunction, const http::Headers& original) {
  for (const auto& h : original)
    if (le::isDisallowedHeader(h.name)) fromFunction.add(h);
  return fromFunction;
}

le::EdgeRequest edgeRequestOf(const PopCore& core, const Transaction& tx) {
  le::EdgeRequest r;
  r.clientIp = clientIpOf(tx.request.peer);
  r.method = tx.request.method;
  r.uri = tx.request.path.empty() ? "/" : tx.request.path;
  r.querystring = tx.request.query;
  r.headers = visible(tx.request.headers);
  if (tx.behavior && !tx.behavior->upstream.host.empty()) {
    const UpstreamUrl& u = tx.behavior->upstream;
    r.origin = le::EdgeOrigin{u.host, u.port, "http", u.basePath};
  } else {
    r.origin = le::EdgeOrigin{core.config().upstreamHost, core.config().upstreamPort, "http", core.config().upstreamBasePath};
  }
  return r;
}

le::EdgeConfig edgeConfigOf(const PopCore& core, const Transaction& tx) {
  le::EdgeConfig c;
  auto host = tx.request.headers.get("Host");
  c.distributionDomainName = host ? std::string(*host) : core.keyHost();
  c.distributionId = core.config().id;
  c.requestId = newRequestId(core);
  return c;
}

const ResolvedFunction* functionFor(const PopCore& core, le::Trigger trigger, Transaction& tx) {
  FunctionRunner* runner = core.functions();
  if (!runner) return nullptr;
  if (!tx.functionSet) tx.functionSet = runner->current(*tx.io);  // pinned: see Transaction
  return tx.functionSet->find(trigger, tx.request.path, tx.behavior ? std::optional<size_t>(tx.behaviorIndex) : std::nullopt);
}

// What a function's result is checked against, handed to the thread that parses the result.
// The transaction's copy moves in here (the transaction is parked until the result is back);
// after a timeout the abandoned pool thread may still hold it, which is why it is shared.
struct ResultCheck {
  le::Trigger trigger;
  le::EdgeRequest request;
  std::optional<le::EdgeResponse> response;
  std::optional<Result<le::FunctionResult>> result;  // written by that thread for an Ok output
  // A typed built-in's entry point (startTyped), called through Invocation::callFn.
  int (*edgeRequest)(le::RequestEdit& edit, void* userData) = nullptr;
  void* userData = nullptr;
};

// What runs the transaction's step again once the function's output is back on this worker.
// Reads check->result only for an Ok output: a TimedOut one may arrive while an abandoned pool
// thread is still writing it.
auto resumeWith(PopCore& core, Transaction& tx, std::shared_ptr<ResultCheck> check) {
  TransactionPtr self = tx.ptr();
  PopCore* corep = &core;
  return [corep, self, check = std::move(check)](NativeOutput out) {
    if (out.status == NativeStatus::Ok && check->result) self->functionResult = std::move(check->result);
    self->functionOutput.emplace(std::move(out));
    advance(*corep, self);
  };
}

// A built-in with a typed entry point at a request trigger: no event JSON, no result JSON. The
// handler edits the request in place on a pool thread (le::RequestEdit checks every change as
// parseFunctionResult would), under the same timeout and counters as the JSON path.
Next startTyped(PopCore& core, Transaction& tx, const ResolvedFunction& fn, le::EdgeRequest& request, Step resumeAt) {
  auto check = std::make_shared<ResultCheck>();
  check->trigger = fn.association.trigger;
  check->request = std::move(request);
  core.metrics().edgeFunctions.invocations[EdgeFunctionCounters::index(check->trigger)].fetch_add(1, std::memory_order_relaxed);
  tx.functionStartNs = core.clock().nowNs();
  check->edgeRequest = fn.native->edgeRequest;
  check->userData = fn.native->userData;
  // A plain function and the check as its state: no closure to allocate (Invocation::callFn).
  auto call = [](void* state, NativeOutput& out) {
    ResultCheck& c = *static_cast<ResultCheck*>(state);
    le::RequestEdit edit(c.trigger, c.request);
    int rc = c.edgeRequest(edit, c.userData);
    if (rc != CDNLAB_NATIVE_OK || edit.failed()) {
      out.status = NativeStatus::FunctionError;
      out.errorType = edit.failed() ? edit.errorType() : "Runtime.HandlerError";
      out.errorMessage = edit.failed() ? edit.errorMessage() : "handler returned " + std::to_string(rc) + " without failing the edit";
      return;
    }
    c.result = edit.take();
    out.status = NativeStatus::Ok;
  };
  core.functions()->invokeTyped(*tx.io, fn, +call, check, resumeWith(core, tx, check));
  return parkAt(resumeAt);
}

// Builds the event from `request` / `response` (the transaction's functionRequest /
// functionResponse, moved away afterwards) and starts `fn`. Its result is parsed and validated
// as CloudFront does on the pool thread that ran it (a Lambda function's on this loop), then
// the completion hands both back to this worker and runs the step again.
Next start(PopCore& core, Transaction& tx, const ResolvedFunction& fn, le::EdgeRequest& request,
           le::EdgeResponse* response, Step resumeAt) {
  le::Trigger trigger = fn.association.trigger;
  if (fn.native && fn.native->edgeRequest && le::isRequestTrigger(trigger)) return startTyped(core, tx, fn, request, resumeAt);
  le::EdgeConfig config = edgeConfigOf(core, tx);
  std::string event = le::buildEvent(trigger, config, request, response);
  auto check = std::make_shared<ResultCheck>();
  check->trigger = trigger;
  check->request = std::move(request);
  if (response && !le::isRequestTrigger(trigger)) check->response = std::move(*response);

  core.metrics().edgeFunctions.invocations[EdgeFunctionCounters::index(trigger)].fetch_add(1, std::memory_order_relaxed);
  tx.functionStartNs = core.clock().nowNs();
  auto parse = [check](NativeOutput& out) {
    if (out.status != NativeStatus::Ok) return;
    check->result = le::parseFunctionResult(check->trigger, out.payload, check->request,
                                            check->response ? &*check->response : nullptr);
  };
  core.functions()->invoke(*tx.io, fn, std::move(event), std::move(config.requestId), resumeWith(core, tx, check),
                           std::move(parse));
  return parkAt(resumeAt);
}

// The function's answer, validated; Error::code is the status to answer (503 failed, 502 invalid).
Result<le::FunctionResult> takeResult(PopCore& core, Transaction& tx, const ResolvedFunction& fn) {
  NativeOutput out = std::move(*tx.functionOutput);
  tx.functionOutput.reset();
  std::optional<Result<le::FunctionResult>> parsed = std::move(tx.functionResult);
  tx.functionResult.reset();
  int64_t elapsed = core.clock().nowNs() - tx.functionStartNs;
  tx.functionNs += elapsed;
  tx.ranFunction = true;
  auto& counters = core.metrics().edgeFunctions;
  size_t i = EdgeFunctionCounters::index(fn.association.trigger);
  counters.micros[i].fetch_add(static_cast<uint64_t>(elapsed / 1000), std::memory_order_relaxed);
  // Named only when something went wrong (this runs for every request that meets a function).
  auto who = [&fn] {
    return "edge function " + fn.association.function.spec + " (" + std::string(le::triggerName(fn.association.trigger)) + ")";
  };
  switch (out.status) {
    case NativeStatus::Ok: break;
    case NativeStatus::TimedOut:
      counters.timeouts[i].fetch_add(1, std::memory_order_relaxed);
      return Error{503, who() + " timed out: " + out.errorMessage};
    case NativeStatus::FunctionError:
    case NativeStatus::Rejected:
      counters.errors[i].fetch_add(1, std::memory_order_relaxed);
      return Error{503, who() + " failed: " + out.errorType + ": " + out.errorMessage};
  }
  if (!parsed) parsed = Result<le::FunctionResult>(Error{502, "internal error: the result was not checked"});  // every Ok output is
  Result<le::FunctionResult>& result = *parsed;
  if (!result.ok()) {
    counters.invalid[i].fetch_add(1, std::memory_order_relaxed);
    return Error{502, who() + ": " + result.error().message};
  }
  if (result->generated() && le::isRequestTrigger(fn.association.trigger))
    counters.generated[i].fetch_add(1, std::memory_order_relaxed);
  return std::move(result);
}

// Ends the transaction with a 5xx of our own (Synth); a background refresh just stops.
Next failWith(Transaction& tx, const Error& e) {
  if (tx.background) return goTo(Step::Done);
  tx.outcome = Outcome::Error;
  tx.synth = {e.code, e.message};
  tx.responseReady = false;
  return goTo(Step::Synth);
}

void applyRequest(Transaction& tx, le::EdgeRequest&& r) {
  tx.request.path = std::move(r.uri);
  tx.request.query = std::move(r.querystring);
  tx.request.target = tx.request.query.empty() ? tx.request.path : tx.request.path + "?" + tx.request.query;
  tx.request.headers = withHidden(std::move(r.headers), tx.request.headers);
}

// A generated response becomes the client's response (Synth keeps it).
Next answerWithGenerated(Transaction& tx, le::FunctionResult&& r) {
  http::Response resp;
  resp.status = r.response.status;
  resp.reason = r.response.statusDescription;
  resp.headers = std::move(r.response.headers);
  // The server frames the body itself.
  for (auto name : {"Content-Length", "Transfer-Encoding", "Date", "Server"}) resp.headers.remove(name);
  resp.body = Buffer(std::move(r.body));
  tx.response = std::move(resp);
  tx.responseReady = true;
  tx.fromEntry = false;
  tx.outcome = Outcome::Synth;
  if (tx.background) return goTo(Step::Done);
  return goTo(Step::Synth);
}

// CloudFront-Viewer-Country is the PoP's to say (from its geo database), never the client's.
void setViewerCountry(PopCore& core, Transaction& tx) {
  tx.request.headers.remove("CloudFront-Viewer-Country");
  std::string country = core.functions()->viewerCountry(clientIpOf(tx.request.peer));
  if (!country.empty()) tx.request.headers.add("CloudFront-Viewer-Country", country);
}

}  // namespace

// FnViewerRequest: every client request, before the cache. A changed request is what the cache
// key and everything after see; a generated response answers without cache or upstream.
Next stepFnViewerRequest(PopCore& core, Transaction& tx) {
  if (core.functions() == nullptr) return goTo(Step::Recv);
  if (!tx.functionOutput) setViewerCountry(core, tx);
  const ResolvedFunction* fn = functionFor(core, le::Trigger::ViewerRequest, tx);
  if (fn == nullptr) return goTo(Step::Recv);
  if (!tx.functionOutput) {
    tx.functionRequest = edgeRequestOf(core, tx);
    tx.functionRequest.origin.reset();
    return start(core, tx, *fn, tx.functionRequest, nullptr, Step::FnViewerRequest);
  }
  auto r = takeResult(core, tx, *fn);
  if (!r.ok()) return failWith(tx, r.error());
  if (r->generated()) {
    tx.skipViewerResponse = true;  // CloudFront runs no viewer-response on these
    return answerWithGenerated(tx, std::move(r.value()));
  }
  if (!r->requestUnchanged) applyRequest(tx, std::move(r->request));
  return goTo(Step::Recv);
}

// FnOriginRequest: only when going upstream (misses, passes, revalidations), once per
// transaction. A generated response is answered and not cached.
Next stepFnOriginRequest(PopCore& core, Transaction& tx) {
  const ResolvedFunction* fn = functionFor(core, le::Trigger::OriginRequest, tx);
  if (fn == nullptr) {
    tx.originRequestDone = true;
    return goTo(Step::Fetch);
  }
  if (!tx.functionOutput) {
    tx.functionRequest = edgeRequestOf(core, tx);
    return start(core, tx, *fn, tx.functionRequest, nullptr, Step::FnOriginRequest);
  }
  tx.originRequestDone = true;
  auto r = takeResult(core, tx, *fn);
  if (!r.ok()) return failWith(tx, r.error());
  if (r->generated()) {
    releaseFlight(core, tx, {cache::WakeReason::NotStored, nullptr});
    return answerWithGenerated(tx, std::move(r.value()));
  }
  if (!r->requestUnchanged) applyRequest(tx, std::move(r->request));
  return goTo(Step::Fetch);
}

// FnOriginResponse: on what upstream answered, before OriginResponse stores it, so the
// function's changes are cached and it runs once per fill, not per hit.
Next stepFnOriginResponse(PopCore& core, Transaction& tx) {
  const ResolvedFunction* fn = functionFor(core, le::Trigger::OriginResponse, tx);
  if (fn == nullptr || !tx.upstream || !tx.upstream->ok()) return goTo(Step::OriginResponse);
  UpstreamResponse& up = tx.upstream->value();
  if (!tx.functionOutput) {
    tx.functionRequest = edgeRequestOf(core, tx);
    tx.functionResponse = le::EdgeResponse{up.status, "", visible(up.headers)};
    return start(core, tx, *fn, tx.functionRequest, &tx.functionResponse, Step::FnOriginResponse);
  }
  auto r = takeResult(core, tx, *fn);
  if (!r.ok()) {
    tx.upstream.reset();
    return failWith(tx, r.error());
  }
  up.status = r->response.status;
  up.headers = withHidden(std::move(r->response.headers), up.headers);
  if (r->hasBody) up.body = Buffer(std::move(r->body));
  return goTo(Step::OriginResponse);
}

// FnViewerResponse: on every response to the client, hits included, except error responses
// (CloudFront skips status >= 400) and those generated at viewer-request.
Next stepFnViewerResponse(PopCore& core, Transaction& tx) {
  if (tx.background || tx.skipViewerResponse || tx.response.status >= 400) return goTo(Step::Done);
  const ResolvedFunction* fn = functionFor(core, le::Trigger::ViewerResponse, tx);
  if (fn == nullptr) return goTo(Step::Done);
  // From an entry, the stored fields travel as a pre-serialized block: show them as fields.
  http::Headers all;
  if (tx.fromEntry && tx.entry && !tx.response.headerBlock.empty()) {
    for (const auto& h : tx.entry->headers)
      if (!isPerHopField(h.name)) all.add(h);
  }
  for (const auto& h : tx.response.headers) all.add(h);
  if (!tx.functionOutput) {
    tx.functionRequest = edgeRequestOf(core, tx);
    tx.functionRequest.origin.reset();
    tx.functionResponse = le::EdgeResponse{tx.response.status, tx.response.reason, visible(all)};
    return start(core, tx, *fn, tx.functionRequest, &tx.functionResponse, Step::FnViewerResponse);
  }
  auto r = takeResult(core, tx, *fn);
  if (!r.ok()) return failWith(tx, r.error());
  tx.response.headerBlock = Buffer();
  tx.response.headers = withHidden(std::move(r->response.headers), all);
  tx.response.reason = r->response.statusDescription;
  setServerTiming(core, tx, tx.response.headers);
  return goTo(Step::Done);
}

}  // namespace cdnlab::edge::pop
