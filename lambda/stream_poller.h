// StreamPoller: reads one DynamoDB stream for one event source mapping and invokes the function
// with batches (see event_sources.h for the rules it follows). A small state machine on the loop:
// describe the stream -> get shard iterators -> GetRecords -> invoke -> checkpoint or retry;
// timers pace the polling. Everything it reads from the stream is untrusted JSON.
#pragma once

#include <uv.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "lambda/event_filter.h"
#include "lambda/event_sources.h"

namespace cdnlab::lambda {

class StreamPoller {
 public:
  StreamPoller(EventSources& sources, const EventSourceMapping& mapping);
  ~StreamPoller();
  void start();
  // Stops polling; an invocation in flight finishes and its result is dropped.
  void stop();
  const std::string& lastResult() const { return lastResult_; }

 private:
  struct Record {
    std::string json;      // the record with eventSourceARN added
    std::string sequence;  // dynamodb.SequenceNumber
  };
  struct Shard {
    std::string id;
    std::string startType;  // TRIM_HORIZON or LATEST for its first iterator
    std::string iterator;   // empty: not fetched yet
    bool closed = false;
    std::deque<Record> pending;
    int64_t firstPendingMs = 0;
  };

  void describe();
  void poll();
  void fetchIterator(size_t index);
  void getRecords(size_t index);
  void invoke(size_t index);
  void onResult(size_t index, size_t count, InvokeResult r);
  void dropFront(size_t index, size_t count);
  void later(uint64_t ms, void (StreamPoller::*step)());
  void callStreams(const std::string& op, std::string body, std::function<void(Result<std::string>)> done);

  EventSources& sources_;
  EventSourceMapping mapping_;
  FilterCriteria filters_;  // from mapping_.filterPatterns, checked when the mapping was written
  std::string functionNameForLogs() const;  // the function's name, for its log
  std::vector<Shard> shards_;
  std::vector<std::string> finished_;  // closed shards read to the end
  size_t next_ = 0;         // round robin over shards
  int attempts_ = 0;        // failures of the batch at the front of the busy shard
  size_t bisectLimit_ = 0;  // >0: the failing batch was halved to this many records
  bool stopped_ = false;
  bool described_ = false;  // the first DescribeStream answer came (its shards use StartingPosition)
  int64_t lastDescribeMs_ = 0;
  std::string lastResult_ = "No records processed";
  uv_timer_t* timer_ = nullptr;
  void (StreamPoller::*pendingStep_)() = nullptr;
  std::shared_ptr<bool> alive_;  // callbacks check it: the poller may be gone when they fire
};

}  // namespace cdnlab::lambda
