// Event invocation rules and the destination record (async_record.h).
#include "lambda/async_record.h"

#include "lambda/codec.h"
#include "lambda/json.h"

namespace cdnlab::lambda {

std::string_view asyncConditionName(AsyncCondition c) {
  switch (c) {
    case AsyncCondition::Success: return "Success";
    case AsyncCondition::RetriesExhausted: return "RetriesExhausted";
    case AsyncCondition::EventAgeExceeded: return "EventAgeExceeded";
  }
  return "Success";
}

bool asyncEventExpired(int64_t enqueuedNs, int64_t nowNs, int maxAgeSeconds) {
  return nowNs - enqueuedNs > static_cast<int64_t>(maxAgeSeconds) * 1000000000LL;
}

namespace {
void payload(JsonWriter& w, std::string_view p) {
  if (isJsonValue(p)) {
    w.raw(p);
  } else {
    w.string(p);
  }
}
}  // namespace

std::string asyncInvocationRecord(const AsyncOutcome& o) {
  JsonWriter w;
  w.startObject();
  w.key("version").string("1.0");
  w.key("timestamp").string(isoTimestamp(o.timestampMs));
  w.key("requestContext").startObject();
  w.key("requestId").string(o.requestId);
  w.key("functionArn").string(o.functionArn);
  w.key("condition").string(asyncConditionName(o.condition));
  w.key("approximateInvokeCount").integer(o.approximateInvokeCount);
  w.endObject();
  w.key("requestPayload");
  payload(w, o.requestPayload);
  if (o.invoked) {
    w.key("responseContext").startObject();
    w.key("statusCode").integer(200);
    w.key("executedVersion").string(o.executedVersion);
    if (o.functionError) w.key("functionError").string("Unhandled");
    w.endObject();
    w.key("responsePayload");
    payload(w, o.responsePayload);
  }
  w.endObject();
  return w.take();
}

}  // namespace cdnlab::lambda
