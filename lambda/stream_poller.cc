// DynamoDB Streams polling for an event source mapping (see stream_poller.h).
#include "lambda/stream_poller.h"

#include <algorithm>

#include "lambda/codec.h"
#include "lambda/json.h"

namespace cdnlab::lambda {

namespace {

constexpr uint64_t kIdlePollMs = 200;      // nothing new anywhere: look again after this
constexpr uint64_t kErrorBackoffMs = 1000;  // the stream endpoint failed
constexpr uint64_t kRetryMs = 200;          // a failed or throttled batch is retried after this
constexpr int64_t kRedescribeMs = 2000;     // new shards appear as old ones close

std::string quote(std::string_view s) {
  JsonWriter w;
  w.string(s);
  return w.take();
}

}  // namespace

StreamPoller::StreamPoller(EventSources& sources, const EventSourceMapping& mapping)
    : sources_(sources), mapping_(mapping), alive_(std::make_shared<bool>(true)) {
  for (const auto& p : mapping_.filterPatterns) (void)filters_.add(p);
}

StreamPoller::~StreamPoller() { stop(); }

void StreamPoller::start() {
  timer_ = new uv_timer_t;
  uv_timer_init(sources_.loop(), timer_);
  timer_->data = this;
  describe();
}

void StreamPoller::stop() {
  if (stopped_) return;
  stopped_ = true;
  *alive_ = false;
  if (timer_) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
}

void StreamPoller::later(uint64_t ms, void (StreamPoller::*step)()) {
  if (stopped_) return;
  pendingStep_ = step;
  uv_timer_start(timer_, [](uv_timer_t* t) {
    auto* self = static_cast<StreamPoller*>(t->data);
    (self->*(self->pendingStep_))();
  }, ms, 0);
}

void StreamPoller::callStreams(const std::string& op, std::string body, std::function<void(Result<std::string>)> done) {
  http::ClientRequest req;
  req.host = sources_.host();
  req.port = sources_.port();
  req.method = "POST";
  req.target = "/";
  req.headers.add("Content-Type", "application/x-amz-json-1.0");
  req.headers.add("X-Amz-Target", "DynamoDBStreams_20120810." + op);
  req.body = Buffer(std::move(body));
  std::weak_ptr<bool> alive = alive_;
  sources_.client().request(std::move(req), [alive, op, done = std::move(done)](Result<http::ClientResponse> r) {
    auto a = alive.lock();
    if (!a || !*a) return;
    if (!r) return done(Error{1, op + ": " + r.error().message});
    if (r->status != 200)
      return done(Error{1, op + ": HTTP " + std::to_string(r->status) + " " + std::string(r->body.view().substr(0, 300))});
    done(std::string(r->body.view()));
  });
}

void StreamPoller::describe() {
  lastDescribeMs_ = wallClockMs();
  callStreams("DescribeStream", "{\"StreamArn\":" + quote(mapping_.eventSourceArn) + "}", [this](Result<std::string> r) {
    rapidjson::Document d;
    if (r) d.Parse(r->data(), r->size());
    if (!r || d.HasParseError() || !d.IsObject() || !d.HasMember("StreamDescription") ||
        !d["StreamDescription"].IsObject()) {
      lastResult_ = "PROBLEM: " + (r ? std::string("malformed DescribeStream answer") : r.error().message);
      return later(kErrorBackoffMs, &StreamPoller::describe);
    }
    const auto& desc = d["StreamDescription"];
    bool first = !described_;
    described_ = true;
    auto shards = desc.FindMember("Shards");
    if (shards != desc.MemberEnd() && shards->value.IsArray()) {
      for (const auto& s : shards->value.GetArray()) {
        if (!s.IsObject() || !s.HasMember("ShardId") || !s["ShardId"].IsString()) continue;
        std::string id = s["ShardId"].GetString();
        if (std::any_of(shards_.begin(), shards_.end(), [&](const Shard& x) { return x.id == id; })) continue;
        if (std::find(finished_.begin(), finished_.end(), id) != finished_.end()) continue;
        Shard sh;
        sh.id = id;
        // Shards present at the start follow StartingPosition; later ones hold only new records.
        sh.startType = first ? mapping_.startingPosition : "TRIM_HORIZON";
        shards_.push_back(std::move(sh));
      }
    }
    poll();
  });
}

void StreamPoller::poll() {
  if (stopped_) return;
  // Closed shards with nothing pending are done.
  for (size_t i = 0; i < shards_.size();) {
    if (shards_[i].closed && shards_[i].pending.empty()) {
      finished_.push_back(shards_[i].id);
      shards_.erase(shards_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  if (shards_.empty() || wallClockMs() - lastDescribeMs_ > kRedescribeMs) {
    if (shards_.empty()) return later(kIdlePollMs, &StreamPoller::describe);
    return describe();
  }
  // A shard with a full batch (or one whose batching window ran out) is invoked first.
  for (size_t i = 0; i < shards_.size(); ++i) {
    Shard& sh = shards_[i];
    if (sh.pending.empty()) continue;
    bool full = sh.pending.size() >= static_cast<size_t>(mapping_.batchSize);
    bool windowOver = wallClockMs() - sh.firstPendingMs >= int64_t{mapping_.maxBatchingWindowSec} * 1000;
    if (full || windowOver || sh.closed || bisectLimit_ > 0 || attempts_ > 0) return invoke(i);
  }
  size_t i = next_++ % shards_.size();
  if (shards_[i].closed) return later(kIdlePollMs, &StreamPoller::poll);
  if (shards_[i].iterator.empty()) return fetchIterator(i);
  getRecords(i);
}

void StreamPoller::fetchIterator(size_t index) {
  const Shard& sh = shards_[index];
  std::string body = "{\"StreamArn\":" + quote(mapping_.eventSourceArn) + ",\"ShardId\":" + quote(sh.id) +
                     ",\"ShardIteratorType\":" + quote(sh.startType) + "}";
  std::string id = sh.id;
  callStreams("GetShardIterator", body, [this, id](Result<std::string> r) {
    rapidjson::Document d;
    if (r) d.Parse(r->data(), r->size());
    auto it = std::find_if(shards_.begin(), shards_.end(), [&](const Shard& s) { return s.id == id; });
    if (it == shards_.end()) return poll();
    if (!r || d.HasParseError() || !d.IsObject() || !d.HasMember("ShardIterator") || !d["ShardIterator"].IsString()) {
      lastResult_ = "PROBLEM: " + (r ? std::string("malformed GetShardIterator answer") : r.error().message);
      return later(kErrorBackoffMs, &StreamPoller::poll);
    }
    it->iterator = d["ShardIterator"].GetString();
    poll();
  });
}

void StreamPoller::getRecords(size_t index) {
  Shard& sh = shards_[index];
  int limit = std::max(1, mapping_.batchSize - static_cast<int>(sh.pending.size()));
  std::string body = "{\"ShardIterator\":" + quote(sh.iterator) + ",\"Limit\":" + std::to_string(std::min(limit, 1000)) + "}";
  std::string id = sh.id;
  callStreams("GetRecords", body, [this, id](Result<std::string> r) {
    auto it = std::find_if(shards_.begin(), shards_.end(), [&](const Shard& s) { return s.id == id; });
    if (it == shards_.end()) return poll();
    rapidjson::Document d;
    if (r) d.Parse(r->data(), r->size());
    if (!r || d.HasParseError() || !d.IsObject()) {
      lastResult_ = "PROBLEM: " + (r ? std::string("malformed GetRecords answer") : r.error().message);
      it->iterator.clear();  // an expired iterator is fetched again
      it->startType = "TRIM_HORIZON";
      return later(kErrorBackoffMs, &StreamPoller::poll);
    }
    size_t got = 0;
    auto records = d.FindMember("Records");
    if (records != d.MemberEnd() && records->value.IsArray()) {
      for (auto& rec : records->value.GetArray()) {
        if (!rec.IsObject()) continue;
        std::string seq;
        auto ddb = rec.FindMember("dynamodb");
        if (ddb != rec.MemberEnd() && ddb->value.IsObject() && ddb->value.HasMember("SequenceNumber") &&
            ddb->value["SequenceNumber"].IsString())
          seq = ddb->value["SequenceNumber"].GetString();
        // GetRecords names the Identity members PrincipalId and Type (the Streams API); Lambda's
        // event, and the filter patterns AWS documents for TTL deletions, say principalId and type.
        if (auto ui = rec.FindMember("userIdentity"); ui != rec.MemberEnd() && ui->value.IsObject()) {
          for (auto& m : ui->value.GetObject()) {
            if (m.name == "Type") m.name.SetString("type", d.GetAllocator());
            else if (m.name == "PrincipalId") m.name.SetString("principalId", d.GetAllocator());
          }
        }
        // A record no filter matches is dropped here: it is never invoked and never retried.
        if (!filters_.matches(rec)) continue;
        rec.RemoveMember("eventSourceARN");
        rec.AddMember("eventSourceARN", rapidjson::Value(mapping_.eventSourceArn.c_str(), d.GetAllocator()), d.GetAllocator());
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        rec.Accept(w);
        if (it->pending.empty()) it->firstPendingMs = wallClockMs();
        it->pending.push_back(Record{std::string(buf.GetString(), buf.GetSize()), seq});
        ++got;
      }
    }
    auto nextIt = d.FindMember("NextShardIterator");
    if (nextIt != d.MemberEnd() && nextIt->value.IsString()) {
      it->iterator = nextIt->value.GetString();
      it->startType = "TRIM_HORIZON";
    } else {
      it->closed = true;  // no next iterator: the shard is closed and read to its end
    }
    if (got == 0 && std::all_of(shards_.begin(), shards_.end(), [](const Shard& s) { return s.pending.empty(); }))
      return later(kIdlePollMs, &StreamPoller::poll);
    poll();
  });
}

void StreamPoller::invoke(size_t index) {
  Shard& sh = shards_[index];
  size_t count = std::min(sh.pending.size(), static_cast<size_t>(mapping_.batchSize));
  if (bisectLimit_ > 0) count = std::min(count, bisectLimit_);
  std::string payload = "{\"Records\":[";
  for (size_t i = 0; i < count; ++i) {
    if (i) payload += ',';
    payload += sh.pending[i].json;
  }
  payload += "]}";
  auto target = sources_.registry().resolve(mapping_.functionName, "");
  if (!target) {
    lastResult_ = "PROBLEM: Function not found";
    return later(kErrorBackoffMs, &StreamPoller::poll);
  }
  InvokeOptions opts;
  opts.requestId = newUuid();
  opts.payload = std::move(payload);
  std::string id = sh.id;
  std::weak_ptr<bool> alive = alive_;
  sources_.invoker().invoke(*target, std::move(opts), [this, alive, id, count](InvokeResult r) {
    auto a = alive.lock();
    if (!a || !*a) return;
    auto it = std::find_if(shards_.begin(), shards_.end(), [&](const Shard& s) { return s.id == id; });
    if (it == shards_.end()) return poll();
    onResult(static_cast<size_t>(it - shards_.begin()), count, std::move(r));
  });
}

std::string StreamPoller::functionNameForLogs() const {
  auto ref = parseFunctionRef(mapping_.functionName);
  return ref ? ref->name : mapping_.functionName;
}

void StreamPoller::dropFront(size_t index, size_t count) {
  Shard& sh = shards_[index];
  for (size_t i = 0; i < count && !sh.pending.empty(); ++i) sh.pending.pop_front();
  if (!sh.pending.empty()) sh.firstPendingMs = wallClockMs();
}

void StreamPoller::onResult(size_t index, size_t count, InvokeResult r) {
  Shard& sh = shards_[index];
  if (r.error) {  // throttled: the batch waits, no attempt counted
    return later(kRetryMs, &StreamPoller::poll);
  }
  size_t failedFrom = count;  // index of the first record to retry
  if (!r.functionError && mapping_.reportBatchItemFailures) {
    // {"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"}]}: retry from the earliest one.
    rapidjson::Document d;
    d.Parse(r.payload.data(), r.payload.size());
    if (!d.HasParseError() && d.IsObject() && d.HasMember("batchItemFailures") && d["batchItemFailures"].IsArray()) {
      for (const auto& f : d["batchItemFailures"].GetArray()) {
        if (!f.IsObject() || !f.HasMember("itemIdentifier") || !f["itemIdentifier"].IsString()) {
          failedFrom = 0;  // malformed report: AWS treats the whole batch as failed
          break;
        }
        std::string seq = f["itemIdentifier"].GetString();
        for (size_t i = 0; i < count; ++i)
          if (sh.pending[i].sequence == seq) failedFrom = std::min(failedFrom, i);
      }
    }
  }
  if (!r.functionError && failedFrom == count) {
    dropFront(index, count);
    attempts_ = 0;
    if (bisectLimit_ > 0) bisectLimit_ = 0;
    lastResult_ = "OK";
    return poll();
  }
  // Records before the first reported failure are done.
  if (!r.functionError && failedFrom > 0) {
    dropFront(index, failedFrom);
    count -= failedFrom;
  }
  ++attempts_;
  lastResult_ = "PROBLEM: Function call failed";
  if (mapping_.maxRetryAttempts >= 0 && attempts_ > mapping_.maxRetryAttempts) {
    sources_.logs().append(functionNameForLogs(), "on-failure",
                           "Event source mapping " + mapping_.uuid + " dropped " + std::to_string(count) +
                               " record(s) of shard " + sh.id + " after " + std::to_string(attempts_) + " attempts",
                           wallClockMs());
    dropFront(index, count);
    attempts_ = 0;
    bisectLimit_ = 0;
    return poll();
  }
  if (mapping_.bisectOnError && r.functionError && count > 1) bisectLimit_ = (count + 1) / 2;
  later(kRetryMs, &StreamPoller::poll);
}

}  // namespace cdnlab::lambda
