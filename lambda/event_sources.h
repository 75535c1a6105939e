// Event source mappings from DynamoDB Streams (Create/Get/List/Update/DeleteEventSourceMapping):
// the records, persistence and API shapes, and one poller per enabled mapping that reads the
// stream through the documented DynamoDB Streams API (DescribeStream, GetShardIterator,
// GetRecords with X-Amz-Target DynamoDBStreams_20120810.*) at --streams-endpoint and invokes the
// function synchronously with {"Records":[...]} batches, as Lambda's stream pollers do:
// BatchSize and MaximumBatchingWindowInSeconds, StartingPosition, retries of a failed batch up to
// MaximumRetryAttempts (-1: until it succeeds), BisectBatchOnFunctionError, and
// ReportBatchItemFailures (retry from the first failed SequenceNumber), and FilterCriteria (records
// no filter matches are dropped before batching). Loop thread only.
#pragma once

#include <uv.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/http/client.h"
#include "common/http/message.h"
#include "lambda/api_result.h"
#include "lambda/invoker.h"
#include "lambda/registry.h"

namespace cdnlab::lambda {

struct EventSourceMapping {
  std::string uuid;
  std::string functionName;    // as given (name or ARN, maybe qualified)
  std::string eventSourceArn;  // arn:aws:dynamodb:...:table/T/stream/LABEL
  int batchSize = 100;
  int maxBatchingWindowSec = 0;
  std::string startingPosition = "LATEST";  // TRIM_HORIZON | LATEST
  bool enabled = true;
  int maxRetryAttempts = -1;
  bool bisectOnError = false;
  bool reportBatchItemFailures = false;
  std::vector<std::string> filterPatterns;  // FilterCriteria.Filters[].Pattern, each checked (event_filter.h)
  int64_t lastModifiedMs = 0;
  std::string lastProcessingResult = "No records processed";
};

class StreamPoller;

class EventSources {
 public:
  EventSources(uv_loop_t* loop, Registry& registry, Invoker& invoker, LogStore& logs, std::string streamsEndpoint,
               std::string persistPath);
  ~EventSources();
  Result<bool> load();
  void start();
  void stop();

  ApiResult<http::Response> create(const http::Request& req);
  ApiResult<http::Response> get(const std::string& uuid);
  ApiResult<http::Response> update(const std::string& uuid, const http::Request& req);
  ApiResult<http::Response> remove(const std::string& uuid);
  ApiResult<http::Response> list(const http::Request& req);
  // The function is gone: its mappings stop (they stay listed, as on AWS, until deleted).
  void functionDeleted(const std::string& name);

  // For pollers.
  Registry& registry() { return registry_; }
  Invoker& invoker() { return invoker_; }
  LogStore& logs() { return logs_; }
  http::HttpClient& client() { return *client_; }
  uv_loop_t* loop() { return loop_; }
  const std::string& host() const { return host_; }
  int port() const { return port_; }

 private:
  std::string json(const EventSourceMapping& m, const std::string& state) const;
  std::optional<ApiError> apply(EventSourceMapping& m, const rapidjson::Value& body, bool creating);
  void save();
  void startPoller(EventSourceMapping& m);
  void stopPoller(const std::string& uuid);

  uv_loop_t* loop_;
  Registry& registry_;
  Invoker& invoker_;
  LogStore& logs_;
  std::string endpoint_;
  std::string host_;
  int port_ = 0;
  std::string persistPath_;
  std::unique_ptr<http::HttpClient> client_;
  std::map<std::string, EventSourceMapping> mappings_;
  std::map<std::string, std::unique_ptr<StreamPoller>> pollers_;
};

}  // namespace cdnlab::lambda
