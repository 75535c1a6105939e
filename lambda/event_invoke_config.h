// A function's asynchronous invocation configuration (AWS's FunctionEventInvokeConfig), one per
// qualifier ($LATEST, a version or an alias): how often an Event invocation that fails is retried
// (MaximumRetryAttempts 0-2, default 2), how old a queued event may get before it is dropped
// (MaximumEventAgeInSeconds 60-21600, default 6 hours), and where a record of each outcome goes
// (DestinationConfig OnSuccess / OnFailure). Pure data, the request-body checks AWS makes, and the
// JSON the API answers with; the management API (event_invoke_config_api.cc) stores it in the
// function record and the Invoker applies it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>

#include "lambda/api_error.h"
#include "lambda/api_result.h"
#include "common/result.h"
#include "lambda/json.h"

namespace cdnlab::lambda {

struct AccountInfo;

inline constexpr int kDefaultAsyncRetries = 2;               // AWS: two retries after the first try
inline constexpr int kDefaultMaxEventAgeSeconds = 6 * 3600;  // AWS: six hours

struct EventInvokeConfig {
  std::optional<int> maximumRetryAttempts;
  std::optional<int> maximumEventAgeSeconds;
  std::string onSuccess;  // destination ARN, "" = none
  std::string onFailure;
  int64_t lastModifiedMs = 0;

  int retries() const { return maximumRetryAttempts.value_or(kDefaultAsyncRetries); }
  int maxAgeSeconds() const { return maximumEventAgeSeconds.value_or(kDefaultMaxEventAgeSeconds); }
};

// What a Put / Update request body sets. `destination` is present when the body has a
// DestinationConfig member (Update then replaces both destinations).
struct EventInvokeConfigChange {
  std::optional<int> maximumRetryAttempts;
  std::optional<int> maximumEventAgeSeconds;
  std::optional<std::string> onSuccess;
  std::optional<std::string> onFailure;
  bool hasDestination = false;
  bool empty() const { return !maximumRetryAttempts && !maximumEventAgeSeconds && !hasDestination; }
};

// Parses and range-checks a Put / Update body (types, 0-2, 60-21600, the ARN pattern) with AWS's
// ValidationException texts. Whether a destination can be used needs the registry: see
// EventInvokeConfigDestinations below.
ApiResult<EventInvokeConfigChange> parseEventInvokeConfigChange(std::string_view body);

// Put replaces the whole configuration; Update changes only the fields the body has.
EventInvokeConfig putEventInvokeConfig(const EventInvokeConfigChange& change, int64_t nowMs);
EventInvokeConfig updateEventInvokeConfig(EventInvokeConfig current, const EventInvokeConfigChange& change,
                                          int64_t nowMs);

// A destination ARN split into what a Lambda function destination needs.
struct DestinationTarget {
  std::string service;    // "lambda", "sqs", "sns", "events", "s3", ...
  std::string function;   // lambda only: the function name
  std::string qualifier;  // lambda only: the version or alias, "" = unqualified
};
// The service of an ARN that passed the pattern, and for arn:...:lambda:...:function:NAME[:Q] the
// function; nullopt for a lambda ARN that names no function.
std::optional<DestinationTarget> parseDestination(std::string_view arn);

// FunctionEventInvokeConfig as the API answers it (LastModified in epoch seconds, the form of
// rest-json timestamps; DestinationConfig always present, empty objects when unset).
void writeEventInvokeConfig(JsonWriter& w, const AccountInfo& a, const std::string& function,
                            const std::string& qualifier, const EventInvokeConfig& c);
std::string eventInvokeConfigJson(const AccountInfo& a, const std::string& function, const std::string& qualifier,
                                  const EventInvokeConfig& c);

// Persistence inside function.json: {"retries":..,"maxAge":..,"onSuccess":..,"onFailure":..,"modified":..}.
void writeEventInvokeConfigRecord(JsonWriter& w, const EventInvokeConfig& c);
// Errors name the member under `path`.
Result<EventInvokeConfig> readEventInvokeConfigRecord(const rapidjson::Value& v, const std::string& path);

}  // namespace cdnlab::lambda
