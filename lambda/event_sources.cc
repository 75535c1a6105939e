// Event source mappings: records, persistence, API operations, pollers (see event_sources.h).
#include "lambda/event_sources.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/parse_integer.h"
#include "lambda/codec.h"
#include "lambda/destination_config.h"
#include "lambda/event_filter.h"
#include "lambda/stream_poller.h"

namespace cdnlab::lambda {

namespace {

bool isStreamArn(const std::string& arn) {
  return arn.rfind("arn:aws:dynamodb:", 0) == 0 && arn.find(":table/") != std::string::npos &&
         arn.find("/stream/") != std::string::npos && arn.size() <= 1024;
}

}  // namespace

EventSources::EventSources(uv_loop_t* loop, Registry& registry, Invoker& invoker, LogStore& logs,
                           std::string streamsEndpoint, std::string persistPath)
    : loop_(loop), registry_(registry), invoker_(invoker), logs_(logs), endpoint_(std::move(streamsEndpoint)),
      persistPath_(std::move(persistPath)) {
  std::string ep = endpoint_;
  if (ep.rfind("http://", 0) == 0) ep = ep.substr(7);
  while (!ep.empty() && ep.back() == '/') ep.pop_back();
  size_t colon = ep.rfind(':');
  if (colon != std::string::npos) {
    host_ = ep.substr(0, colon);
    if (host_ == "localhost") host_ = "127.0.0.1";
    port_ = parseInteger<int>(std::string_view(ep).substr(colon + 1)).value_or(0);  // 0: no store to call
  }
}

EventSources::~EventSources() { stop(); }

Result<bool> EventSources::load() {
  if (persistPath_.empty()) return true;
  std::ifstream in(persistPath_);
  if (!in) return true;
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document d;
  std::string text = ss.str();
  d.Parse(text.data(), text.size());
  if (d.HasParseError() || !d.IsArray()) return Error{1, persistPath_ + ": not a JSON array"};
  int i = 0;
  for (auto& v : d.GetArray()) {
    std::string where = persistPath_ + ": [" + std::to_string(i++) + "]";
    if (!v.IsObject()) return Error{1, where + ": not an object"};
    EventSourceMapping m;
    auto str = [&](const char* f, std::string& out) {
      if (v.HasMember(f) && v[f].IsString()) out = v[f].GetString();
    };
    auto num = [&](const char* f, int& out) {
      if (v.HasMember(f) && v[f].IsInt()) out = v[f].GetInt();
    };
    str("UUID", m.uuid);
    str("FunctionName", m.functionName);
    str("EventSourceArn", m.eventSourceArn);
    str("StartingPosition", m.startingPosition);
    num("BatchSize", m.batchSize);
    num("MaximumBatchingWindowInSeconds", m.maxBatchingWindowSec);
    num("MaximumRetryAttempts", m.maxRetryAttempts);
    if (v.HasMember("Enabled") && v["Enabled"].IsBool()) m.enabled = v["Enabled"].GetBool();
    if (v.HasMember("BisectBatchOnFunctionError") && v["BisectBatchOnFunctionError"].IsBool())
      m.bisectOnError = v["BisectBatchOnFunctionError"].GetBool();
    if (v.HasMember("ReportBatchItemFailures") && v["ReportBatchItemFailures"].IsBool())
      m.reportBatchItemFailures = v["ReportBatchItemFailures"].GetBool();
    if (v.HasMember("FilterPatterns") && v["FilterPatterns"].IsArray()) {
      FilterCriteria check;
      for (const auto& p : v["FilterPatterns"].GetArray()) {
        if (!p.IsString()) return Error{1, where + ".FilterPatterns: not a string"};
        if (auto r = check.add(p.GetString()); !r) return Error{1, where + ".FilterPatterns: " + r.error().message};
        m.filterPatterns.push_back(p.GetString());
      }
    }
    if (m.uuid.empty() || m.functionName.empty() || !isStreamArn(m.eventSourceArn))
      return Error{1, where + ": UUID, FunctionName or EventSourceArn missing or malformed"};
    mappings_[m.uuid] = m;
  }
  return true;
}

void EventSources::save() {
  if (persistPath_.empty()) return;
  JsonWriter w;
  w.startArray();
  for (const auto& [id, m] : mappings_) {
    w.startObject().key("UUID").string(m.uuid).key("FunctionName").string(m.functionName);
    w.key("EventSourceArn").string(m.eventSourceArn).key("StartingPosition").string(m.startingPosition);
    w.key("BatchSize").integer(m.batchSize).key("MaximumBatchingWindowInSeconds").integer(m.maxBatchingWindowSec);
    w.key("MaximumRetryAttempts").integer(m.maxRetryAttempts).key("Enabled").boolean(m.enabled);
    w.key("BisectBatchOnFunctionError").boolean(m.bisectOnError);
    w.key("ReportBatchItemFailures").boolean(m.reportBatchItemFailures);
    w.key("FilterPatterns").startArray();
    for (const auto& p : m.filterPatterns) w.string(p);
    w.endArray().endObject();
  }
  w.endArray();
  std::string tmp = persistPath_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << w.take();
  }
  std::rename(tmp.c_str(), persistPath_.c_str());
}

void EventSources::start() {
  http::ClientOptions co;
  co.responseTimeoutMs = 30000;
  client_ = std::make_unique<http::HttpClient>(loop_, co);
  for (auto& [id, m] : mappings_)
    if (m.enabled) startPoller(m);
}

void EventSources::stop() {
  for (auto& [id, p] : pollers_) p->stop();
  pollers_.clear();
  if (client_) client_->close();
}

void EventSources::startPoller(EventSourceMapping& m) {
  if (!client_ || port_ == 0) return;
  auto p = std::make_unique<StreamPoller>(*this, m);
  p->start();
  pollers_[m.uuid] = std::move(p);
}

void EventSources::stopPoller(const std::string& uuid) {
  auto it = pollers_.find(uuid);
  if (it == pollers_.end()) return;
  it->second->stop();
  pollers_.erase(it);
}

std::string EventSources::json(const EventSourceMapping& m, const std::string& state) const {
  JsonWriter w;
  w.startObject();
  w.key("UUID").string(m.uuid);
  w.key("StartingPosition").string(m.startingPosition);
  w.key("BatchSize").integer(m.batchSize);
  w.key("MaximumBatchingWindowInSeconds").integer(m.maxBatchingWindowSec);
  w.key("ParallelizationFactor").integer(1);
  w.key("EventSourceArn").string(m.eventSourceArn);
  auto ref = parseFunctionRef(m.functionName);
  std::string name = ref ? ref->name : m.functionName;
  w.key("FunctionArn").string(qualifiedArn(registry_.account(), name, ref ? ref->qualifier : ""));
  w.key("LastModified").integer(m.lastModifiedMs / 1000);
  auto p = pollers_.find(m.uuid);
  w.key("LastProcessingResult").string(p != pollers_.end() ? p->second->lastResult() : m.lastProcessingResult);
  w.key("State").string(state.empty() ? (m.enabled ? "Enabled" : "Disabled") : state);
  w.key("StateTransitionReason").string("USER_INITIATED");
  w.key("DestinationConfig").startObject().key("OnFailure").startObject().endObject().endObject();
  w.key("MaximumRecordAgeInSeconds").integer(-1);
  w.key("BisectBatchOnFunctionError").boolean(m.bisectOnError);
  w.key("MaximumRetryAttempts").integer(m.maxRetryAttempts);
  w.key("TumblingWindowInSeconds").integer(0);
  w.key("FunctionResponseTypes").startArray();
  if (m.reportBatchItemFailures) w.string("ReportBatchItemFailures");
  w.endArray();
  if (!m.filterPatterns.empty()) {
    w.key("FilterCriteria").startObject().key("Filters").startArray();
    for (const auto& p : m.filterPatterns) w.startObject().key("Pattern").string(p).endObject();
    w.endArray().endObject();
  }
  w.endObject();
  return w.take();
}

std::optional<ApiError> EventSources::apply(EventSourceMapping& m, const rapidjson::Value& body, bool creating) {
  auto fn = getString(body, "FunctionName");
  auto batch = getInt(body, "BatchSize");
  auto window = getInt(body, "MaximumBatchingWindowInSeconds");
  auto retries = getInt(body, "MaximumRetryAttempts");
  auto enabled = getBool(body, "Enabled");
  auto bisect = getBool(body, "BisectBatchOnFunctionError");
  for (const Error* e : {fn ? nullptr : &fn.error(), batch ? nullptr : &batch.error(), window ? nullptr : &window.error(),
                         retries ? nullptr : &retries.error(), enabled ? nullptr : &enabled.error(),
                         bisect ? nullptr : &bisect.error()})
    if (e) return invalidRequestContent(e->message);
  auto criteria = body.FindMember("FilterCriteria");
  std::optional<std::vector<std::string>> patterns;
  if (criteria != body.MemberEnd() && !criteria->value.IsNull()) {
    const auto& fc = criteria->value;
    if (!fc.IsObject()) return invalidRequestContent("FilterCriteria must be an object");
    patterns.emplace();
    auto filters = fc.FindMember("Filters");
    if (filters != fc.MemberEnd() && !filters->value.IsNull()) {
      if (!filters->value.IsArray()) return invalidRequestContent("FilterCriteria.Filters must be an array");
      FilterCriteria check;
      size_t i = 0;
      for (const auto& f : filters->value.GetArray()) {
        std::string at = "FilterCriteria.Filters[" + std::to_string(i++) + "].Pattern";
        if (!f.IsObject() || !f.HasMember("Pattern") || !f["Pattern"].IsString())
          return invalidRequestContent(at + " must be a string");
        std::string pattern(f["Pattern"].GetString(), f["Pattern"].GetStringLength());
        if (auto r = check.add(pattern); !r) return invalidParameter("Invalid filter pattern definition. " + at + ": " + r.error().message);
        patterns->push_back(std::move(pattern));
      }
    }
  }
  if (auto it = body.FindMember("DestinationConfig"); it != body.MemberEnd() && !it->value.IsNull()) {
    if (auto refused = checkDestinationConfig(it->value)) return *refused;
  }
  // Refused rather than ignored; the value that means "off" (AWS's default) is accepted.
  struct Unsupported { const char* field; int off; };
  for (auto [field, off] : {Unsupported{"TumblingWindowInSeconds", 0}, Unsupported{"ParallelizationFactor", 1},
                            Unsupported{"MaximumRecordAgeInSeconds", -1}}) {
    auto it = body.FindMember(field);
    if (it == body.MemberEnd() || it->value.IsNull()) continue;
    if (it->value.IsInt() && it->value.GetInt() == off) continue;
    return invalidParameter(std::string("cdnlab lambda does not support ") + field + " on event source mappings.");
  }
  if (*fn) {
    auto target = registry_.resolve(**fn, "");
    if (!target) return target.error();
    m.functionName = **fn;
  } else if (creating) {
    return validationError("null", "functionName", "Member must not be null");
  }
  if (*batch) {
    if (**batch < 1 || **batch > 10000)
      return validationError(std::to_string(**batch), "batchSize", "Member must have value between 1 and 10000");
    m.batchSize = static_cast<int>(**batch);
  }
  if (*window) {
    if (**window < 0 || **window > 300)
      return validationError(std::to_string(**window), "maximumBatchingWindowInSeconds", "Member must have value between 0 and 300");
    m.maxBatchingWindowSec = static_cast<int>(**window);
  }
  if (*retries) {
    if (**retries < -1 || **retries > 10000)
      return validationError(std::to_string(**retries), "maximumRetryAttempts", "Member must have value between -1 and 10000");
    m.maxRetryAttempts = static_cast<int>(**retries);
  }
  if (patterns) m.filterPatterns = std::move(*patterns);
  if (*enabled) m.enabled = **enabled;
  if (*bisect) m.bisectOnError = **bisect;
  auto types = body.FindMember("FunctionResponseTypes");
  if (types != body.MemberEnd() && types->value.IsArray()) {
    m.reportBatchItemFailures = false;
    for (const auto& t : types->value.GetArray()) {
      if (!t.IsString() || std::string(t.GetString()) != "ReportBatchItemFailures")
        return validationError(t.IsString() ? t.GetString() : "?", "functionResponseTypes",
                               "Member must satisfy enum value set: [ReportBatchItemFailures]");
      m.reportBatchItemFailures = true;
    }
  }
  return std::nullopt;
}

ApiResult<http::Response> EventSources::create(const http::Request& req) {
  auto body = parseObject(req.body);
  if (!body) return invalidRequestContent(body.error().message);
  EventSourceMapping m;
  auto arn = getString(*body, "EventSourceArn");
  auto pos = getString(*body, "StartingPosition");
  if (!arn || !pos) return invalidRequestContent("EventSourceArn and StartingPosition must be strings");
  if (!*arn) return invalidParameter("cdnlab lambda maps DynamoDB streams only: EventSourceArn is required.");
  if (!isStreamArn(**arn))
    return invalidParameter("Unrecognized event source, must be a DynamoDB stream ARN (arn:aws:dynamodb:...:table/T/stream/L): " + **arn);
  if (!*pos) return invalidParameter("StartingPosition is required for DynamoDB stream event sources.");
  if (**pos == "AT_TIMESTAMP")
    return invalidParameter("Unsupported starting position for arn type: " + **arn + " (AT_TIMESTAMP is for Kinesis, MSK and Kafka sources; a DynamoDB stream starts at TRIM_HORIZON or LATEST)");
  if (**pos != "TRIM_HORIZON" && **pos != "LATEST")
    return validationError(**pos, "startingPosition", "Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
  if (port_ == 0)
    return invalidParameter("cdnlab lambda was started without --store-endpoint (or --streams-endpoint): no DynamoDB Streams to read.");
  m.eventSourceArn = **arn;
  m.startingPosition = **pos;
  if (auto e = apply(m, *body, true)) return *e;
  auto ref = parseFunctionRef(m.functionName);
  for (const auto& [id, other] : mappings_) {
    auto oref = parseFunctionRef(other.functionName);
    if (other.eventSourceArn == m.eventSourceArn && oref && ref && oref->name == ref->name && oref->qualifier == ref->qualifier)
      return resourceConflict("An event source mapping with DynamoDB stream arn (\"" + m.eventSourceArn + "\") and function (\"" +
                              ref->name + "\") already exists. Please update or delete the existing mapping with UUID " + id);
  }
  m.uuid = newUuid();
  m.lastModifiedMs = wallClockMs();
  mappings_[m.uuid] = m;
  save();
  if (m.enabled) startPoller(mappings_[m.uuid]);
  return jsonResponse(202, json(m, "Creating"));
}

ApiResult<http::Response> EventSources::get(const std::string& uuid) {
  auto it = mappings_.find(uuid);
  if (it == mappings_.end()) return resourceNotFound("The resource you requested does not exist.");
  return jsonResponse(200, json(it->second, ""));
}

ApiResult<http::Response> EventSources::update(const std::string& uuid, const http::Request& req) {
  auto it = mappings_.find(uuid);
  if (it == mappings_.end()) return resourceNotFound("The resource you requested does not exist.");
  auto body = parseObject(req.body);
  if (!body) return invalidRequestContent(body.error().message);
  EventSourceMapping m = it->second;
  bool wasEnabled = m.enabled;
  if (auto e = apply(m, *body, false)) return *e;
  m.lastModifiedMs = wallClockMs();
  it->second = m;
  save();
  stopPoller(uuid);
  if (m.enabled) startPoller(it->second);
  // The transition AWS reports: turning the mapping on or off, else a plain update.
  const char* state = m.enabled == wasEnabled ? "Updating" : (m.enabled ? "Enabling" : "Disabling");
  return jsonResponse(202, json(m, state));
}

ApiResult<http::Response> EventSources::remove(const std::string& uuid) {
  auto it = mappings_.find(uuid);
  if (it == mappings_.end()) return resourceNotFound("The resource you requested does not exist.");
  stopPoller(uuid);
  std::string body = json(it->second, "Deleting");
  mappings_.erase(it);
  save();
  return jsonResponse(202, body);
}

ApiResult<http::Response> EventSources::list(const http::Request& req) {
  std::string fn = queryParam(req.query, "FunctionName").value_or("");
  std::string arn = queryParam(req.query, "EventSourceArn").value_or("");
  std::string marker = queryParam(req.query, "Marker").value_or("");
  int64_t maxItems = 100;
  if (auto mi = queryParam(req.query, "MaxItems")) {
    auto n = parseInteger<int64_t>(*mi);
    if (!n) return validationError(*mi, "maxItems", "Member must be a number");
    if (*n < 1) return validationError(*mi, "maxItems", "Member must have value greater than or equal to 1");
    if (*n > 10000) return validationError(*mi, "maxItems", "Member must have value less than or equal to 10000");
    maxItems = *n;
  }
  auto fref = fn.empty() ? Result<FunctionRef>(FunctionRef{}) : parseFunctionRef(fn);
  if (!fref) return validationError(fn, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
  JsonWriter w;
  w.startObject().key("EventSourceMappings").startArray();
  int64_t n = 0;
  std::string last;
  bool more = false;
  for (const auto& [id, m] : mappings_) {
    if (!marker.empty() && id <= marker) continue;
    auto ref = parseFunctionRef(m.functionName);
    if (!fn.empty() && (!ref || ref->name != fref->name)) continue;
    if (!arn.empty() && m.eventSourceArn != arn) continue;
    if (n == maxItems) {
      more = true;
      break;
    }
    w.raw(json(m, ""));
    last = id;
    ++n;
  }
  w.endArray();
  if (more) w.key("NextMarker").string(last);
  w.endObject();
  return jsonResponse(200, w.take());
}

void EventSources::functionDeleted(const std::string& name) {
  for (auto& [id, m] : mappings_) {
    auto ref = parseFunctionRef(m.functionName);
    if (ref && ref->name == name) stopPoller(id);
  }
}

}  // namespace cdnlab::lambda
