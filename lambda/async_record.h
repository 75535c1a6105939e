// Asynchronous (Event) invocations: the rules that end one, and the invocation record AWS sends
// to an OnSuccess / OnFailure destination:
//   {"version":"1.0","timestamp":"...Z",
//    "requestContext":{"requestId","functionArn","condition","approximateInvokeCount"},
//    "requestPayload":<the event>,
//    "responseContext":{"statusCode","executedVersion"[,"functionError"]},
//    "responsePayload":<what the function returned, or its error>}
// responseContext / responsePayload are left out when the function never ran (an event that grew
// too old while throttled). Pure: the Invoker decides with these and delivers the record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cdnlab::lambda {

enum class AsyncCondition { Success, RetriesExhausted, EventAgeExceeded };
std::string_view asyncConditionName(AsyncCondition c);

// An event queued at `enqueuedNs` may no longer run at `nowNs` (AWS: MaximumEventAgeInSeconds).
bool asyncEventExpired(int64_t enqueuedNs, int64_t nowNs, int maxAgeSeconds);

// After a function error on attempt `invokeCount` (1 = the first try): is there a retry left?
inline bool asyncRetryLeft(int invokeCount, int maximumRetryAttempts) { return invokeCount <= maximumRetryAttempts; }

struct AsyncOutcome {
  AsyncCondition condition = AsyncCondition::Success;
  std::string requestId;
  std::string functionArn;       // qualified: ...:function:NAME:$LATEST (or the version / alias)
  int approximateInvokeCount = 0;
  std::string_view requestPayload;
  bool invoked = false;          // the function ran at least once: responseContext is present
  std::string executedVersion;
  bool functionError = false;
  std::string_view responsePayload;
  int64_t timestampMs = 0;
};

// The record's JSON. Payloads that are not one JSON value are embedded as JSON strings.
std::string asyncInvocationRecord(const AsyncOutcome& o);

}  // namespace cdnlab::lambda
