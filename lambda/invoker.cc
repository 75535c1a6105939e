// Invocations, environments, timeouts, logs and the Event queue (see invoker.h).
#include "lambda/invoker.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <random>

#include "common/log.h"
#include "lambda/async_record.h"
#include "lambda/codec.h"

namespace cdnlab::lambda {

struct Invoker::Running {
  InvokeOptions options;
  InvokeDone done;
  std::string executedVersion;
  std::string invokedArn;
  int64_t dispatchNs = 0;
  std::string tail;
};

struct Invoker::EnvRecord {
  Environment* env = nullptr;
  uint64_t id = 0;
  std::string function;
  std::string version;
  std::string stream;
  int timeoutSec = 3;
  int memoryMb = 128;
  int64_t startNs = 0;
  double initMs = 0;
  bool initDone = false;
  bool reportInit = false;      // the next REPORT carries Init Duration (cold start)
  bool provisioned = false;
  std::string provisionedQualifier;
  bool retiring = false;        // stop once the current invocation ends
  bool dead = false;            // killed or exited; no more invocations
  std::unique_ptr<Running> running;
  uv_timer_t* timer = nullptr;
  Invoker* owner = nullptr;
};

struct Invoker::QueuedEvent {
  std::string function;
  std::string qualifier;
  InvokeOptions options;
  int invokeCount = 0;     // times the function ran (throttles do not count)
  int64_t enqueuedNs = 0;  // for MaximumEventAgeInSeconds
  int64_t notBeforeNs = 0;
  // The last run's answer, for the destination record.
  std::string lastPayload;
  std::string lastVersion;
  bool lastFunctionError = false;
};

namespace {

std::string traceId(int64_t epochMs) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[96];
  std::snprintf(buf, sizeof buf, "Root=1-%08x-%012" PRIx64 "%012" PRIx64 ";Parent=%016" PRIx64 ";Sampled=0",
                static_cast<unsigned>(epochMs / 1000), uint64_t(rng() & 0xffffffffffffULL), uint64_t(rng() & 0xffffffffffffULL), uint64_t(rng()));
  return buf;
}

std::string streamName(int64_t epochMs, const std::string& version) {
  time_t secs = static_cast<time_t>(epochMs / 1000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char day[48];
  std::snprintf(day, sizeof day, "%04d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  std::string id = newUuid();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  return std::string(day) + "/[" + version + "]" + id;
}

std::string jsonEscape(std::string_view s) {
  JsonWriter w;
  w.string(s);
  return w.take();
}

}  // namespace

Invoker::Invoker(uv_loop_t* loop, Registry& registry, Runtime& runtime, LogStore& logs, Metrics& metrics,
                 InvokerOptions options, const Clock& clock)
    : loop_(loop),
      registry_(registry),
      runtime_(runtime),
      logs_(logs),
      metrics_(metrics),
      options_(options),
      clock_(clock),
      pools_(clock, options.maxConcurrency) {}

Invoker::~Invoker() { close(); }

static void closeTimer(uv_timer_t*& t) {
  if (!t) return;
  uv_timer_stop(t);
  uv_close(reinterpret_cast<uv_handle_t*>(t), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  t = nullptr;
}

void Invoker::start() {
  idleTimer_ = new uv_timer_t;
  uv_timer_init(loop_, idleTimer_);
  idleTimer_->data = this;
  uint64_t every = static_cast<uint64_t>(std::clamp<int64_t>(options_.idleTimeoutMs / 4, 10, 1000));
  uv_timer_start(idleTimer_, [](uv_timer_t* t) { static_cast<Invoker*>(t->data)->expireIdle(); }, every, every);
  eventTimer_ = new uv_timer_t;
  uv_timer_init(loop_, eventTimer_);
  eventTimer_->data = this;
  // Provisioned concurrency persisted with the functions comes back up with the service.
  for (FunctionRecord* rec : registry_.all()) {
    pools_.setReserved(rec->name, rec->reservedConcurrency);
    for (const auto& [qualifier, n] : rec->provisioned) {
      auto target = registry_.resolve(rec->name, qualifier);
      if (target) setProvisioned(rec->name, qualifier, target->version, n);
    }
  }
}

void Invoker::close() {
  if (closed_) return;
  closed_ = true;
  closeTimer(idleTimer_);
  closeTimer(eventTimer_);
  for (auto& [id, rec] : envs_) {
    if (rec->running) {
      auto done = std::move(rec->running->done);
      rec->running.reset();
      InvokeResult r;
      r.error = serviceError("The Lambda service is shutting down.");
      if (done) done(std::move(r));
    }
    closeTimer(rec->timer);
    if (rec->env && !rec->dead) {
      rec->dead = true;
      rec->env->kill();
    }
  }
  events_.clear();
}

Invoker::EnvRecord* Invoker::recordOf(uint64_t id) {
  auto it = envs_.find(id);
  return it == envs_.end() ? nullptr : it->second.get();
}

bool Invoker::startEnvironment(uint64_t id, const Resolved& target, bool provisioned, std::string* error) {
  const FunctionConfig& c = *target.config;
  auto rec = std::make_unique<EnvRecord>();
  rec->id = id;
  rec->function = target.record->name;
  rec->version = target.version;
  rec->stream = streamName(wallClockMs(), target.version);
  rec->timeoutSec = c.timeoutSeconds;
  rec->memoryMb = c.memoryMb;
  rec->startNs = clock_.nowNs();
  rec->provisioned = provisioned;
  EnvironmentSpec spec;
  spec.id = id;
  spec.functionName = target.record->name;
  spec.version = target.version;
  spec.runtime = c.runtime;
  spec.handler = c.handler;
  spec.codeDir = c.code.dir;
  spec.memoryMb = c.memoryMb;
  spec.logStreamName = rec->stream;
  spec.provisioned = provisioned;
  spec.userEnvironment = c.environment;
  EnvRecord* raw = rec.get();
  envs_[id] = std::move(rec);
  auto env = runtime_.start(spec, *this);
  if (!env) {
    *error = env.error().message;
    envs_.erase(id);
    return false;
  }
  raw->env = *env;
  armTimer(*raw, options_.initTimeoutMs);
  return true;
}

void Invoker::invoke(const Resolved& target, InvokeOptions options, InvokeDone done) {
  const std::string& fn = target.record->name;
  FunctionMetrics& m = metrics_.of(fn);
  Admission a = pools_.admit(fn, target.version);
  if (a.kind == Admission::Throttled) {
    ++m.throttles;
    InvokeResult r;
    r.error = tooManyRequests(a.reason);
    done(std::move(r));
    return;
  }
  auto run = std::make_unique<Running>();
  run->options = std::move(options);
  run->done = std::move(done);
  run->executedVersion = target.version;
  run->invokedArn = qualifiedArn(registry_.account(), fn, target.qualifier);
  ++m.invocations;
  if (a.kind == Admission::Warm) {
    EnvRecord* rec = recordOf(a.envId);
    rec->running = std::move(run);
    dispatch(*rec);
    return;
  }
  ++m.coldStarts;
  std::string error;
  if (!startEnvironment(a.envId, target, false, &error)) {
    pools_.remove(a.envId);
    ++m.errors;
    // "Runtime.InvalidEntrypoint: ..." -> errorType and message as AWS reports them.
    size_t colon = error.find(": ");
    std::string type = colon == std::string::npos ? "Runtime.Unknown" : error.substr(0, colon);
    std::string msg = colon == std::string::npos ? error : error.substr(colon + 2);
    InvokeResult r;
    r.functionError = true;
    r.executedVersion = target.version;
    r.payload = "{\"errorType\":" + jsonEscape(type) + ",\"errorMessage\":" +
                jsonEscape("RequestId: " + run->options.requestId + " Error: " + msg) + "}";
    run->done(std::move(r));
    return;
  }
  recordOf(a.envId)->running = std::move(run);
}

void Invoker::logLine(EnvRecord& rec, const std::string& text) {
  logs_.append(rec.function, rec.stream, text, wallClockMs());
  if (rec.running) {
    rec.running->tail += text;
    rec.running->tail += '\n';
    // Tail is the last 4 KB; keep a little more so the cut falls on what AWS would cut.
    if (rec.running->tail.size() > 16384) rec.running->tail.erase(0, rec.running->tail.size() - 8192);
  }
}

void Invoker::dispatch(EnvRecord& rec) {
  Running& run = *rec.running;
  run.dispatchNs = clock_.nowNs();
  logLine(rec, "START RequestId: " + run.options.requestId + " Version: " + rec.version);
  InvokeRequest req;
  req.requestId = run.options.requestId;
  req.payload = std::move(run.options.payload);
  int64_t nowMs = wallClockMs();
  req.deadlineEpochMs = nowMs + int64_t{rec.timeoutSec} * 1000;
  req.invokedFunctionArn = run.invokedArn;
  req.traceId = traceId(nowMs);
  req.clientContext = run.options.clientContext;
  armTimer(rec, int64_t{rec.timeoutSec} * 1000);
  rec.env->invoke(req);
}

void Invoker::armTimer(EnvRecord& rec, int64_t ms) {
  if (!rec.timer) {
    rec.timer = new uv_timer_t;
    uv_timer_init(loop_, rec.timer);
  }
  // The record outlives its timer: onExit closes the timer before the record goes.
  rec.owner = this;
  rec.timer->data = &rec;
  uv_timer_start(rec.timer, [](uv_timer_t* t) {
    auto* r = static_cast<EnvRecord*>(t->data);
    r->owner->onTimer(*r);
  }, static_cast<uint64_t>(ms), 0);
}

void Invoker::onTimer(EnvRecord& rec) {
  if (rec.dead) return;
  if (!rec.initDone) {
    // Init took longer than AWS's init limit.
    logLine(rec, "INIT_REPORT Init Duration: " + std::to_string(options_.initTimeoutMs) + ".00 ms\tPhase: init\tStatus: timeout");
    rec.dead = true;
    rec.env->kill();
    return;  // onExit fails the waiting invocation
  }
  if (!rec.running) return;
  Running& run = *rec.running;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%d.00", rec.timeoutSec);
  std::string what = std::string("Task timed out after ") + secs + " seconds";
  rec.env->drainOutput();
  // The log keeps the classic "<time> <id> Task timed out ..." line; the caller gets the error
  // AWS answers with: {"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: ..."}.
  logLine(rec, isoTimestamp(wallClockMs()) + " " + run.options.requestId + " " + what);
  ++metrics_.of(rec.function).timeouts;
  rec.dead = true;
  finish(rec, true,
         "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":" + jsonEscape("RequestId: " + run.options.requestId + " Error: " + what) + "}",
         "timeout");
  rec.env->kill();
  pools_.remove(rec.id);
}

void Invoker::finish(EnvRecord& rec, bool functionError, std::string payload, const char* status) {
  if (rec.timer) uv_timer_stop(rec.timer);
  std::unique_ptr<Running> run = std::move(rec.running);
  if (!run) return;
  double ms = static_cast<double>(clock_.nowNs() - run->dispatchNs) / 1e6;
  int64_t billed = static_cast<int64_t>(ms);
  if (billed < ms || billed == 0) ++billed;
  char report[512];
  int n = std::snprintf(report, sizeof report,
                        "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory Size: %d MB\t"
                        "Max Memory Used: %lld MB\t",
                        run->options.requestId.c_str(), ms, static_cast<long long>(billed), rec.memoryMb,
                        static_cast<long long>(rec.env->maxMemoryUsedMb()));
  std::string line(report, static_cast<size_t>(std::max(0, n)));
  if (rec.reportInit) {
    char init[64];
    std::snprintf(init, sizeof init, "Init Duration: %.2f ms\t", rec.initMs);
    line += init;
    rec.reportInit = false;
  }
  if (status) line += std::string("Status: ") + status + "\t";
  // The Running is detached: END/REPORT go to the tail by hand.
  rec.running = std::move(run);
  logLine(rec, "END RequestId: " + rec.running->options.requestId);
  logLine(rec, line);
  run = std::move(rec.running);
  FunctionMetrics& m = metrics_.of(rec.function);
  m.observeDuration(ms);
  if (functionError) ++m.errors;
  if (!rec.dead) {
    pools_.release(rec.id);
    if (rec.retiring) {
      rec.dead = true;
      pools_.remove(rec.id);
      rec.env->kill();
    }
  }
  InvokeResult r;
  r.functionError = functionError;
  r.payload = std::move(payload);
  r.executedVersion = run->executedVersion;
  r.logTail = std::move(run->tail);
  run->done(std::move(r));
}

void Invoker::onReady(Environment& env) {
  EnvRecord* rec = recordOf(env.id());
  if (!rec || rec->dead) return;
  if (rec->timer) uv_timer_stop(rec->timer);
  rec->initDone = true;
  rec->initMs = static_cast<double>(clock_.nowNs() - rec->startNs) / 1e6;
  if (rec->running) {
    rec->reportInit = true;
    dispatch(*rec);
  } else {
    pools_.ready(rec->id);  // provisioned: waits, initialized, for its first invocation
  }
}

void Invoker::onInitError(Environment& env, std::string errorType, std::string body) {
  EnvRecord* rec = recordOf(env.id());
  if (!rec) return;
  rec->dead = true;
  pools_.remove(rec->id);
  if (rec->provisioned) {
    auto it = provisioned_.find({rec->function, rec->provisionedQualifier});
    if (it != provisioned_.end()) it->second.failure = errorType + ": function initialization failed";
  }
  if (rec->running) {
    // AWS answers the invocation that met the failed init with the init error as its payload.
    rec->running->dispatchNs = clock_.nowNs();
    logLine(*rec, "START RequestId: " + rec->running->options.requestId + " Version: " + rec->version);
    rec->reportInit = true;
    rec->initMs = static_cast<double>(clock_.nowNs() - rec->startNs) / 1e6;
    finish(*rec, true, std::move(body), "error");
  }
  rec->env->kill();
}

void Invoker::onResponse(Environment& env, const std::string& requestId, std::string body) {
  EnvRecord* rec = recordOf(env.id());
  if (!rec || !rec->running || rec->running->options.requestId != requestId) return;
  finish(*rec, false, std::move(body));
}

void Invoker::onFunctionError(Environment& env, const std::string& requestId, std::string, std::string body) {
  EnvRecord* rec = recordOf(env.id());
  if (!rec || !rec->running || rec->running->options.requestId != requestId) return;
  finish(*rec, true, std::move(body));
}

void Invoker::onLog(Environment& env, std::string_view line) {
  if (EnvRecord* rec = recordOf(env.id())) logLine(*rec, std::string(line));
}

void Invoker::onExit(Environment& env, std::string why) {
  auto it = envs_.find(env.id());
  if (it == envs_.end()) {
    env.release();
    return;
  }
  EnvRecord& rec = *it->second;
  bool wasDead = rec.dead;
  rec.dead = true;
  pools_.remove(rec.id);
  if (rec.running && !closed_) {
    const std::string& id = rec.running->options.requestId;
    std::string msg = "RequestId: " + id + " Error: Runtime exited with error: " + why;
    if (!rec.initDone) msg = "RequestId: " + id + " Error: Runtime exited" + (why.empty() ? "" : " with error: " + why);
    if (!rec.initDone) {
      rec.running->dispatchNs = clock_.nowNs();
      logLine(rec, "START RequestId: " + id + " Version: " + rec.version);
      rec.reportInit = true;
      rec.initMs = static_cast<double>(clock_.nowNs() - rec.startNs) / 1e6;
    }
    logLine(rec, msg);
    logLine(rec, "Runtime.ExitError");
    finish(rec, true, "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":" + jsonEscape(msg) + "}", "error");
  } else if (!wasDead && !closed_) {
    LOG_INFO("lambda: environment %s of %s exited (%s)", rec.stream.c_str(), rec.function.c_str(), why.c_str());
  }
  closeTimer(rec.timer);
  if (rec.provisioned && !rec.initDone && !closed_) {
    // Died during init: starting it again would only loop; report it like AWS's FAILED status.
    auto want = provisioned_.find({rec.function, rec.provisionedQualifier});
    if (want != provisioned_.end() && want->second.failure.empty())
      want->second.failure = "Function initialization failed: runtime exited (" + why + ")";
  }
  bool provisioned = rec.provisioned;
  std::string function = rec.function, qualifier = rec.provisionedQualifier;
  env.release();
  envs_.erase(it);
  // A lost provisioned environment is replaced, so the pool recovers to what was asked.
  if (provisioned && !closed_) reconcileProvisioned(function, qualifier);
}

void Invoker::retire(EnvRecord& rec) {
  if (rec.dead) return;
  if (rec.running || !rec.initDone) {
    rec.retiring = true;
    return;
  }
  rec.dead = true;
  pools_.remove(rec.id);
  rec.env->kill();
}

void Invoker::functionChanged(const std::string& function) {
  for (auto& [id, rec] : envs_)
    if (rec->function == function && rec->version == "$LATEST") retire(*rec);
}

void Invoker::functionDeleted(const std::string& function) {
  for (auto it = provisioned_.begin(); it != provisioned_.end();)
    it = it->first.first == function ? provisioned_.erase(it) : std::next(it);
  for (auto& [id, rec] : envs_)
    if (rec->function == function && !rec->dead) {
      rec->dead = true;
      pools_.remove(rec->id);
      rec->env->kill();
    }
  pools_.setReserved(function, std::nullopt);
  std::erase_if(events_, [&](const std::shared_ptr<QueuedEvent>& e) { return e->function == function; });
}

void Invoker::setProvisioned(const std::string& function, const std::string& qualifier, const std::string& version, int n) {
  if (n <= 0) {
    provisioned_.erase({function, qualifier});
  } else {
    auto& want = provisioned_[{function, qualifier}];
    want.version = version;
    want.requested = n;
    want.failure.clear();
  }
  reconcileProvisioned(function, qualifier);
}

void Invoker::reconcileProvisioned(const std::string& function, const std::string& qualifier) {
  auto it = provisioned_.find({function, qualifier});
  int want = it == provisioned_.end() ? 0 : it->second.requested;
  int have = 0;
  for (auto& [id, rec] : envs_) {
    if (!rec->provisioned || rec->dead || rec->function != function || rec->provisionedQualifier != qualifier) continue;
    if (have < want && (it == provisioned_.end() || rec->version == it->second.version)) {
      ++have;
    } else {
      retire(*rec);
    }
  }
  if (it == provisioned_.end() || !it->second.failure.empty()) return;
  auto target = registry_.resolve(function, qualifier);
  if (!target) return;
  for (; have < want; ++have) {
    auto id = pools_.addProvisioned(function, target->version);
    if (!id) {
      it->second.failure = "Requested provisioned concurrency exceeds the available concurrency.";
      return;
    }
    std::string error;
    if (!startEnvironment(*id, *target, true, &error)) {
      pools_.remove(*id);
      it->second.failure = error;
      return;
    }
    recordOf(*id)->provisionedQualifier = qualifier;
  }
}

ProvisionedStatus Invoker::provisionedStatus(const std::string& function, const std::string& qualifier) const {
  ProvisionedStatus s;
  auto it = provisioned_.find({function, qualifier});
  if (it == provisioned_.end()) return s;
  s.requested = it->second.requested;
  for (const auto& [id, rec] : envs_) {
    if (!rec->provisioned || rec->dead || rec->function != function || rec->provisionedQualifier != qualifier) continue;
    ++s.allocated;
    if (rec->initDone) ++s.available;
  }
  if (!it->second.failure.empty()) {
    s.status = "FAILED";
    s.reason = it->second.failure;
  } else {
    s.status = s.available >= s.requested ? "READY" : "IN_PROGRESS";
  }
  return s;
}

// ---- Event invocations ----

bool Invoker::enqueue(const Resolved& target, InvokeOptions options) {
  if (events_.size() >= options_.asyncQueueLimit) return false;
  auto ev = std::make_shared<QueuedEvent>();
  ev->function = target.record->name;
  ev->qualifier = target.qualifier;
  ev->options = std::move(options);
  ev->enqueuedNs = ev->notBeforeNs = clock_.nowNs();
  events_.push_back(ev);
  scheduleEvents();
  return true;
}

void Invoker::scheduleEvents() {
  if (!eventTimer_ || events_.empty()) return;
  int64_t soonest = INT64_MAX;
  for (const auto& e : events_) soonest = std::min(soonest, e->notBeforeNs);
  int64_t waitMs = std::max<int64_t>(0, (soonest - clock_.nowNs() + 999999) / 1000000);
  uv_timer_start(eventTimer_, [](uv_timer_t* t) { static_cast<Invoker*>(t->data)->pumpEvents(); },
                 static_cast<uint64_t>(waitMs), 0);
}

void Invoker::pumpEvents() {
  int64_t now = clock_.nowNs();
  std::vector<std::shared_ptr<QueuedEvent>> due;
  for (auto it = events_.begin(); it != events_.end();) {
    if ((*it)->notBeforeNs <= now) {
      due.push_back(*it);
      it = events_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& ev : due) runEvent(ev);
  scheduleEvents();
}

// The configuration of the qualifier the event was sent to (unqualified: $LATEST); AWS's
// defaults when there is none.
EventInvokeConfig Invoker::asyncConfigOf(const QueuedEvent& ev) {
  FunctionRecord* rec = registry_.find(ev.function);
  if (!rec) return {};
  auto it = rec->eventInvokeConfigs.find(ev.qualifier.empty() ? "$LATEST" : ev.qualifier);
  return it == rec->eventInvokeConfigs.end() ? EventInvokeConfig{} : it->second;
}

void Invoker::runEvent(std::shared_ptr<QueuedEvent> ev) {
  auto target = registry_.resolve(ev->function, ev->qualifier);
  if (!target) return;  // deleted meanwhile
  if (asyncEventExpired(ev->enqueuedNs, clock_.nowNs(), asyncConfigOf(*ev).maxAgeSeconds())) {
    finishEvent(*ev, AsyncCondition::EventAgeExceeded);
    return;
  }
  InvokeOptions opts = ev->options;
  Resolved resolved = *target;
  invoke(resolved, std::move(opts), [this, ev](InvokeResult r) {
    if (closed_) return;
    if (r.error) {  // throttled: AWS keeps retrying until the event is too old
      ev->notBeforeNs = clock_.nowNs() + 100 * 1000000LL;
      events_.push_back(ev);
      scheduleEvents();
      return;
    }
    ++ev->invokeCount;
    ev->lastPayload = std::move(r.payload);
    ev->lastVersion = std::move(r.executedVersion);
    ev->lastFunctionError = r.functionError;
    if (!r.functionError) {
      finishEvent(*ev, AsyncCondition::Success);
      return;
    }
    if (asyncRetryLeft(ev->invokeCount, asyncConfigOf(*ev).retries())) {
      // AWS waits about a minute before the first retry and two before the second.
      ev->notBeforeNs = clock_.nowNs() + options_.asyncRetryDelayMs * ev->invokeCount * 1000000LL;
      events_.push_back(ev);
      scheduleEvents();
      return;
    }
    finishEvent(*ev, AsyncCondition::RetriesExhausted);
  });
}

// The end of an Event invocation: failures are counted and logged in the function's on-failure
// stream; the record goes to the configured destination, if any.
void Invoker::finishEvent(const QueuedEvent& ev, AsyncCondition condition) {
  EventInvokeConfig config = asyncConfigOf(ev);
  bool failed = condition != AsyncCondition::Success;
  if (failed) {
    ++metrics_.of(ev.function).asyncDropped;
    std::string why = condition == AsyncCondition::EventAgeExceeded
                          ? " was older than MaximumEventAgeInSeconds (" + std::to_string(config.maxAgeSeconds()) +
                                " s) after " + std::to_string(ev.invokeCount) + " attempts"
                          : " failed after " + std::to_string(ev.invokeCount) + " attempts";
    logs_.append(ev.function, "on-failure",
                 "Event invocation " + ev.options.requestId + why + "; last error: " + ev.lastPayload.substr(0, 1024),
                 wallClockMs());
  }
  const std::string& destination = failed ? config.onFailure : config.onSuccess;
  if (destination.empty()) return;
  AsyncOutcome o;
  o.condition = condition;
  o.requestId = ev.options.requestId;
  o.functionArn = qualifiedArn(registry_.account(), ev.function, ev.qualifier.empty() ? "$LATEST" : ev.qualifier);
  o.approximateInvokeCount = ev.invokeCount;
  o.requestPayload = ev.options.payload;
  o.invoked = ev.invokeCount > 0;
  o.executedVersion = ev.lastVersion;
  o.functionError = ev.lastFunctionError;
  o.responsePayload = ev.lastPayload;
  o.timestampMs = wallClockMs();
  auto target = parseDestination(destination);
  auto resolved = target && target->service == "lambda" ? registry_.resolve(target->function, target->qualifier)
                                                        : ApiResult<Resolved>(resourceNotFound(destination));
  InvokeOptions record;
  record.requestId = newUuid();
  record.payload = asyncInvocationRecord(o);
  // Event payloads are limited to 256 KB; the limit also ends a loop of functions that are each
  // other's destinations (every hop nests the previous record).
  constexpr size_t kMaxRecordBytes = 262144;
  if (!resolved || record.payload.size() > kMaxRecordBytes || !enqueue(*resolved, std::move(record))) {
    logs_.append(ev.function, "on-failure",
                 "Event invocation " + ev.options.requestId + ": the " + std::string(failed ? "OnFailure" : "OnSuccess") +
                     " destination " + destination + " cannot take the record (function gone, record over 256 KB or queue full)",
                 wallClockMs());
  }
}

void Invoker::expireIdle() {
  for (uint64_t id : pools_.expireIdle(options_.idleTimeoutMs * 1000000LL)) {
    EnvRecord* rec = recordOf(id);
    if (!rec || rec->dead) continue;
    rec->dead = true;
    rec->env->kill();
  }
}

}  // namespace cdnlab::lambda
