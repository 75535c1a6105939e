// Schedule event sources: the timer, the event and the Event invocation (see schedules.h).
#include "lambda/schedules.h"

#include <ctime>

#include "common/log.h"
#include "lambda/codec.h"
#include "lambda/json.h"

namespace cdnlab::lambda {

Result<ScheduleSpec> parseScheduleFlag(const std::string& flag, size_t index) {
  size_t eq = flag.find('=');
  if (eq == std::string::npos || eq == 0)
    return Error{2, "--schedule " + flag + ": expected FUNCTION=EXPRESSION, e.g. tick=rate(5 minutes)"};
  ScheduleSpec s;
  s.function = flag.substr(0, eq);
  auto expr = ScheduleExpression::parse(flag.substr(eq + 1));
  if (!expr) return Error{2, "--schedule " + flag + ": " + expr.error().message};
  s.expression = std::move(*expr);
  auto ref = parseFunctionRef(s.function);
  std::string name = ref ? ref->name : s.function;
  s.ruleName = "cdnlab-schedule-" + std::to_string(index + 1) + "-" + name;
  return s;
}

std::string scheduledEvent(const AccountInfo& account, const std::string& ruleName, int64_t epochS, const std::string& id) {
  std::time_t t = static_cast<std::time_t>(epochS);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  JsonWriter w;
  w.startObject().key("version").string("0").key("id").string(id).key("detail-type").string("Scheduled Event");
  w.key("source").string("aws.events").key("account").string(account.accountId).key("time").string(when);
  w.key("region").string(account.region).key("resources").startArray();
  w.string("arn:aws:events:" + account.region + ":" + account.accountId + ":rule/" + ruleName);
  w.endArray().key("detail").startObject().endObject().endObject();
  return w.take();
}

Schedules::Schedules(uv_loop_t* loop, Registry& registry, Invoker& invoker, AccountInfo account,
                     std::vector<ScheduleSpec> specs, int speedup)
    : loop_(loop), registry_(registry), invoker_(invoker), account_(std::move(account)), speedup_(std::max(1, speedup)) {
  for (auto& s : specs) entries_.push_back(Entry{std::move(s)});
}

Schedules::~Schedules() { stop(); }

int64_t Schedules::scheduleNowS() const {
  int64_t now = wallClockMs();
  return (startWallMs_ + (now - startWallMs_) * speedup_) / 1000;
}

void Schedules::start() {
  if (entries_.empty()) return;
  startWallMs_ = wallClockMs();
  int64_t now = scheduleNowS();
  for (auto& e : entries_) {
    e.anchorS = now;
    e.nextS = e.spec.expression.next(now, now);
  }
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
  arm();
}

void Schedules::stop() {
  if (!timer_) return;
  uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  timer_ = nullptr;
}

void Schedules::arm() {
  int64_t earliest = -1;
  for (const auto& e : entries_)
    if (e.nextS >= 0 && (earliest < 0 || e.nextS < earliest)) earliest = e.nextS;
  if (earliest < 0) return;
  // Schedule seconds to wall milliseconds; at least 1 ms, so a late loop catches up in order.
  int64_t wallDue = startWallMs_ + (earliest * 1000 - startWallMs_) / speedup_;
  int64_t delay = std::max<int64_t>(1, wallDue - wallClockMs());
  uv_timer_start(timer_, [](uv_timer_t* t) { static_cast<Schedules*>(t->data)->fire(); }, static_cast<uint64_t>(delay), 0);
}

void Schedules::fire() {
  int64_t now = scheduleNowS();
  for (auto& e : entries_) {
    if (e.nextS < 0 || e.nextS > now) continue;
    int64_t due = e.nextS;
    // Missed firings (a stalled machine) are not replayed: EventBridge delivers the schedule, not a backlog.
    e.nextS = e.spec.expression.next(now, e.anchorS);
    auto target = registry_.resolve(e.spec.function, "");
    if (!target) {
      LOG_WARN("lambda: schedule %s: function %s not found; skipped", e.spec.ruleName.c_str(), e.spec.function.c_str());
      continue;
    }
    InvokeOptions opts;
    opts.requestId = newUuid();
    opts.payload = scheduledEvent(account_, e.spec.ruleName, due, newUuid());
    if (!invoker_.enqueue(*target, std::move(opts)))
      LOG_WARN("lambda: schedule %s: the Event queue is full; firing dropped", e.spec.ruleName.c_str());
  }
  arm();
}

}  // namespace cdnlab::lambda
