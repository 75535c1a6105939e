// Request dispatch, error bodies, shared helpers and the TTL sweeper.
#include "origin/store/service.h"

#include <rocksdb/iterator.h>

#include <cctype>
#include <chrono>
#include <optional>
#include <unordered_map>

#include "common/log.h"
#include "origin/store/json_out.h"
#include "origin/store/model/json.h"
#include "origin/store/model/json_depth.h"
#include "origin/store/request_util.h"
#include "origin/store/validate/shape.h"

namespace cdnlab::store {

// A Host header value fit to be echoed back: a host name or address and an optional port, no more
// than DNS's 253 characters plus a port.
bool isPlausibleHost(std::string_view host) {
  if (host.empty() || host.size() > 260) return false;
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
      return false;
  return true;
}

// Per-thread memory for a request's DOM (see handleRequest): a GetItem or UpdateItem takes ~2 KiB.
constexpr size_t kParseArenaBytes = 32 << 10;
constexpr size_t kAnswerReserveBytes = 2 << 10;

Service::Service(Engine& engine, ServiceOptions options, const Clock& clock)
    : engine_(engine), options_(std::move(options)), clock_(clock), catalog_(engine) {}

Service::~Service() { stop(); }

Result<bool> Service::start() {
  auto r = catalog_.load();
  if (!r) return r;
  if (options_.ttlSweepIntervalMs > 0) sweeper_ = std::thread([this] { ttlLoop(); });
  return true;
}

void Service::stop() {
  {
    std::lock_guard<std::mutex> l(sweeperMu_);
    stopping_ = true;
    sweeperCv_.notify_all();
  }
  if (sweeper_.joinable()) sweeper_.join();
}

Service::Op Service::findOp(std::string_view name) const {
  static const std::unordered_map<std::string_view, Op> ops = {
      {"CreateTable", &Service::createTable},
      {"DescribeTable", &Service::describeTable},
      {"ListTables", &Service::listTables},
      {"DeleteTable", &Service::deleteTable},
      {"UpdateTable", &Service::updateTable},
      {"UpdateTimeToLive", &Service::updateTimeToLive},
      {"DescribeTimeToLive", &Service::describeTimeToLive},
      {"TagResource", &Service::tagResource},
      {"UntagResource", &Service::untagResource},
      {"ListTagsOfResource", &Service::listTagsOfResource},
      {"DescribeEndpoints", &Service::describeEndpoints},
      {"DescribeLimits", &Service::describeLimits},
      {"DescribeContinuousBackups", &Service::describeContinuousBackups},
      {"UpdateContinuousBackups", &Service::updateContinuousBackups},
      {"PutItem", &Service::putItem},
      {"GetItem", &Service::getItem},
      {"DeleteItem", &Service::deleteItem},
      {"UpdateItem", &Service::updateItem},
      {"Query", &Service::query},
      {"Scan", &Service::scan},
      {"BatchGetItem", &Service::batchGetItem},
      {"BatchWriteItem", &Service::batchWriteItem},
      {"TransactWriteItems", &Service::transactWriteItems},
      {"TransactGetItems", &Service::transactGetItems},
      {"ExecuteStatement", &Service::executeStatement},
      {"BatchExecuteStatement", &Service::batchExecuteStatement},
      {"ExecuteTransaction", &Service::executeTransaction},
  };
  auto it = ops.find(name);
  return it == ops.end() ? nullptr : it->second;
}

std::string Service::errorBody(const ApiError& e) {
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  kv(w, "__type", e.type);
  kv(w, e.capitalMessage ? "Message" : "message", e.message);
  w.EndObject();
  std::string body(sb.GetString(), sb.GetSize());
  if (!e.extraJson.empty()) body.insert(body.size() - 1, "," + e.extraJson);
  return body;
}

ApiResponse Service::handleRequest(std::string_view target, std::string_view body, const HeaderLookup& headers,
                                   std::string_view method, std::string_view path, std::string_view query) {
  requests.fetch_add(1, std::memory_order_relaxed);
  auto fail = [&](const ApiError& e) {
    errors.fetch_add(1, std::memory_order_relaxed);
    ApiResponse r;
    r.status = e.status;
    r.body = errorBody(e);
    return r;
  };
  if (options_.auth) {
    auth::SignedRequest sr{method, path, query, headers, body};
    if (auto bad = auth::verifySigV4(sr, options_.credentials, static_cast<int64_t>(clock_.wallSeconds()), "dynamodb"))
      return fail(ApiError{bad->type, bad->message, bad->status, {}});
  }
  constexpr std::string_view kPrefix = "DynamoDB_20120810.";
  constexpr std::string_view kStreamsPrefix = "DynamoDBStreams_20120810.";
  Op op = nullptr;
  std::string shapeName;
  if (target.starts_with(kPrefix)) {
    op = findOp(target.substr(kPrefix.size()));
    shapeName = target.substr(kPrefix.size());
  } else if (target.starts_with(kStreamsPrefix)) {
    op = findStreamsOp(target.substr(kStreamsPrefix.size()));
    shapeName = "Streams." + std::string(target.substr(kStreamsPrefix.size()));
  }
  if (!op) return fail(coralError("UnknownOperationException", ""));
  IamAction action(target.substr(target.find('.') + 1));
  if (options_.requestFastPaths && (op == &Service::getItem || op == &Service::updateItem)) {
    ApiResponse r;
    if (op == &Service::getItem ? getItemFast(body, r) : updateItemFast(body, r)) return r;
  }
  // Bounded before parsing: the parser and every walk over the tree recurse once per level. A
  // well-formed body this deep can only hold an attribute value far past DynamoDB's 32 levels, so
  // it gets DynamoDB's answer to that; a malformed one is unreadable like any other.
  if (jsonNestsDeeperThan(body)) {
    if (isWellFormedJsonObject(body)) return fail(validation(kNestingTooDeepMessage));
    return fail(coralError("SerializationException", "Start of structure or map found where not expected."));
  }
  // The request's DOM is built in memory this thread reuses for every request. RapidJSON's default
  // Document mallocs a 64 KiB pool chunk per parse; glibc hands the freed chunk back to the kernel
  // and faults fresh pages in for the next request (perf on YCSB: sysmalloc and page faults, ~5%
  // of the store's samples). A request larger than the arena spills into malloc'd chunks, freed
  // with `pool`. Nothing refers to the DOM after this call returns.
  alignas(16) static thread_local char parseArena[kParseArenaBytes];
  static thread_local bool arenaInUse = false;
  std::optional<rapidjson::MemoryPoolAllocator<>> pool;
  if (!arenaInUse) pool.emplace(parseArena, sizeof parseArena);
  struct ArenaClaim {  // a nested call on this thread (none today) would get the default allocator
    bool claimed;
    explicit ArenaClaim(bool c) : claimed(c) { if (claimed) arenaInUse = true; }
    ~ArenaClaim() { if (claimed) arenaInUse = false; }
  } claim(pool.has_value());
  Doc doc(pool ? &*pool : nullptr);
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    if (body.empty()) doc.SetObject();
    else return fail(coralError("SerializationException", "Start of structure or map found where not expected."));
  }
  Out out;
  // Room for a typical answer (a GetItem of a ~1 KB item) up front: one malloc instead of the
  // buffer's growth by halves from 256 bytes (five reallocs and copies).
  out.sb.Reserve(kAnswerReserveBytes);
  ApiError err;
  if (!validate::checkRequestShape(shapeName, doc, err)) return fail(err);
  // DescribeEndpoints names the endpoint the client reached, as DynamoDB names its own regional
  // endpoint: an SDK with endpoint discovery then keeps sending its requests here. Without a
  // usable Host header it names the regional endpoint (Service::describeEndpoints).
  if (op == &Service::describeEndpoints && headers) {
    if (auto host = headers("host"); host && isPlausibleHost(*host)) {
      ApiResponse r;
      r.body = R"({"Endpoints":[{"Address":")" + *host + R"(","CachePeriodInMinutes":1440}]})";
      return r;
    }
  }
  if (!(this->*op)(doc, out, err)) return fail(err);
  ApiResponse r;
  r.body.assign(out.sb.GetString(), out.sb.GetSize());
  r.durableTicket = out.ticket;
  return r;
}

ApiResponse Service::handleRequestBlocking(std::string_view target, std::string_view body) {
  ApiResponse r = handleRequest(target, body);
  engine_.waitDurable(r.durableTicket);
  r.durableTicket = 0;
  return r;
}

TableStatePtr Service::requireTableNamed(std::string_view name, ApiError& err) {
  auto st = catalog_.find(name);
  if (!st || st->deleted.load()) {
    err = resourceNotFound();
    return nullptr;
  }
  return st;
}

TableStatePtr Service::requireTable(const rapidjson::Value& d, ApiError& err, const char* memberName) {
  auto name = stringMember(d, memberName, err);
  if (!err.type.empty()) return nullptr;
  if (!name) {
    err = validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    return nullptr;
  }
  return requireTableNamedOrArn(*name, "tableName", err);
}

TableStatePtr Service::requireTableNamedOrArn(std::string_view nameOrArn, std::string_view field, ApiError& err) {
  auto table = tableNameOf(nameOrArn, err);
  if (!table || !validateTableName(*table, field, err)) return nullptr;
  return requireTableNamed(*table, err);
}

std::optional<std::string> Service::tableNameOf(std::string_view nameOrArn, ApiError& err) const {
  auto arn = parseTableArn(nameOrArn);
  if (!arn) return std::string(nameOrArn);
  if (!ownTableArn(*arn, nameOrArn, err)) return std::nullopt;
  return std::string(arn->name);
}

bool Service::ownTableArn(const TableArn& arn, std::string_view text, ApiError& err) const {
  if (arn.region != options_.region) {
    err = validation("1 validation error detected: Invalid AWS region in '" + std::string(text) + "'");
    return false;
  }
  if (arn.account != kAccountId) {
    std::string action = "dynamodb:" + std::string(IamAction::current());
    err = coralError("AccessDeniedException", "User: arn:aws:iam::" + std::string(kAccountId) +
                                                  ":root is not authorized to perform: " + action + " on resource: " +
                                                  std::string(text) + " because no resource-based policy allows the " +
                                                  action + " action");
    return false;
  }
  return true;
}

namespace {
thread_local std::string_view tlIamAction;
}  // namespace

Service::IamAction::IamAction(std::string_view action) : previous_(tlIamAction) { tlIamAction = action; }
Service::IamAction::~IamAction() { tlIamAction = previous_; }
std::string_view Service::IamAction::current() { return tlIamAction; }

bool Service::readItem(const std::string& key, Item* item, const rocksdb::Snapshot* snap) const {
  std::string v;
  if (snap == nullptr) {
    if (!engine_.get(key, &v)) return false;  // the latest value, through the item cache
  } else {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    if (!engine_.db()->Get(ro, key, &v).ok()) return false;
  }
  auto m = attributeMapFromJson(v);
  if (!m) return false;
  *item = std::move(*m);
  return true;
}

bool Service::writeBatch(rocksdb::WriteBatch& batch, Out& out, ApiError& err) {
  auto t = engine_.write(batch);
  if (!t) {
    err = internalError(t.error().message);
    return false;
  }
  out.ticket = std::max(out.ticket, *t);
  return true;
}

// ---- TTL ----------------------------------------------------------------------------------
// Expired items are deleted by this sweep and not hidden from reads in between: DynamoDB
// documents the same (expired items may still be read until its background process deletes them),
// and clients that test TTL poll until the item is gone.

size_t Service::sweepTtl(int64_t now) {
  size_t deleted = 0;
  for (const auto& st : catalog_.tables()) {
    auto desc = st->schema();
    if (!desc->ttlEnabled || desc->ttlAttribute.empty() || st->deleted) continue;
    std::vector<std::string> expired;
    {
      std::string prefix = tablePrefix(desc->id), end = prefixSuccessor(prefix);
      std::unique_ptr<rocksdb::Iterator> it(engine_.db()->NewIterator(rocksdb::ReadOptions()));
      for (it->Seek(prefix); it->Valid() && it->key().compare(end) < 0; it->Next()) {
        // Cheap pre-check on the text before parsing the item.
        if (it->value().ToStringView().find(desc->ttlAttribute) == std::string_view::npos) continue;
        auto item = attributeMapFromJson(it->value().ToStringView());
        if (!item) continue;
        auto a = item->find(desc->ttlAttribute);
        if (a == item->end() || !a->second.is(ValueType::N)) continue;
        double when = a->second.n().toDouble();
        if (when < static_cast<double>(now)) expired.push_back(it->key().ToString());
      }
    }
    for (const auto& k : expired) {
      std::shared_lock<std::shared_mutex> writers(st->writers);
      auto guard = locks_.lockKeys({k});
      auto cur = st->schema();
      Item item;
      if (!readItem(k, &item)) continue;
      auto a = item.find(cur->ttlAttribute);
      if (!cur->ttlEnabled || a == item.end() || !a->second.is(ValueType::N) ||
          a->second.n().toDouble() >= static_cast<double>(now))
        continue;  // changed since the scan
      rocksdb::WriteBatch b;
      WriteDelta delta;
      appendItemWrite(b, *cur, k, &item, nullptr, &delta, /*byService=*/true);
      if (engine_.write(b)) {
        applyDelta(st->stats, delta);
        ++deleted;
      }
    }
  }
  return deleted;
}

void Service::ttlLoop() {
  std::unique_lock<std::mutex> l(sweeperMu_);
  while (!stopping_) {
    sweeperCv_.wait_for(l, std::chrono::milliseconds(options_.ttlSweepIntervalMs), [&] { return stopping_; });
    if (stopping_) break;
    l.unlock();
    size_t n = sweepTtl(static_cast<int64_t>(clock_.wallSeconds()));
    if (n) LOG_DEBUG("ttl sweep deleted %zu items", n);
    size_t trimmed = trimStreams(static_cast<int64_t>(clock_.wallSeconds()) * 1000);
    if (trimmed) LOG_DEBUG("stream retention trimmed %zu records", trimmed);
    l.lock();
  }
}

}  // namespace cdnlab::store
