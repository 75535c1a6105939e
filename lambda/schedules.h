// Schedule event sources: a function invoked on an EventBridge schedule expression (rate(...) or
// cron(...), see schedule_expression.h), asynchronously (as EventBridge invokes Lambda) with
// EventBridge's "Scheduled Event" payload. Given on the command line (`--schedule
// FUNCTION=EXPRESSION`); one libuv timer waits for the earliest firing. Loop thread only.
#pragma once

#include <uv.h>

#include <string>
#include <vector>

#include "common/result.h"
#include "lambda/function_model.h"
#include "lambda/invoker.h"
#include "lambda/registry.h"
#include "lambda/schedule_expression.h"

namespace cdnlab::lambda {

struct ScheduleSpec {
  std::string function;  // name, ARN or name:qualifier
  ScheduleExpression expression;
  std::string ruleName;  // in the event's resources ARN
};

// "FUNCTION=EXPRESSION" (e.g. "tick=rate(5 minutes)"); the error names what is wrong.
Result<ScheduleSpec> parseScheduleFlag(const std::string& flag, size_t index);

// The EventBridge event a schedule delivers (time: when it was due, ISO 8601 UTC).
std::string scheduledEvent(const AccountInfo& account, const std::string& ruleName, int64_t epochS, const std::string& id);

class Schedules {
 public:
  // speedup > 1 runs schedule time that many times faster than the wall clock (a lab can watch a
  // rate(5 minutes) schedule fire every 5 s with 60): the events carry the schedule's own time.
  Schedules(uv_loop_t* loop, Registry& registry, Invoker& invoker, AccountInfo account, std::vector<ScheduleSpec> specs,
            int speedup);
  ~Schedules();
  void start();
  void stop();

 private:
  struct Entry {
    ScheduleSpec spec;
    int64_t anchorS = 0;
    int64_t nextS = -1;  // schedule time; -1: never again
  };
  int64_t scheduleNowS() const;  // the schedule clock, in seconds
  void arm();
  void fire();

  uv_loop_t* loop_;
  Registry& registry_;
  Invoker& invoker_;
  AccountInfo account_;
  std::vector<Entry> entries_;
  int speedup_;
  int64_t startWallMs_ = 0;
  uv_timer_t* timer_ = nullptr;
};

}  // namespace cdnlab::lambda
