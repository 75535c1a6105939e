// The deploy step of `cdnlab up` (see deploy.h): one stage per service, each through its
// management API, in dependency order (tables before functions that read them, functions before
// the API whose routes invoke them).
#include "bench/run/deploy.h"

#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "bench/run/http_call.h"
#include "bench/run/seed_items.h"
#include "bench/run/zip_dir.h"
#include "lambda/code_store.h"
#include "lambda/process_runtime.h"
#include "origin/store/model/base64.h"

namespace cdnlab::bench::run {
namespace {

namespace fs = std::filesystem;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string resolve(const std::string& base, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return (fs::path(base) / path).lexically_normal().string();
}

bool onPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string d;
  while (std::getline(dirs, d, ':'))
    if (!d.empty() && ::access((d + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

// The message of an AWS JSON error body ("message" or "Message"), else the body itself.
std::string awsMessage(const HttpReply& r) {
  rapidjson::Document d;
  d.Parse(r.body.c_str());
  for (const char* k : {"message", "Message"})
    if (!d.HasParseError() && d.IsObject() && d.HasMember(k) && d[k].IsString()) return d[k].GetString();
  return r.body.substr(0, 300);
}

std::string awsType(const HttpReply& r) {
  std::string t = r.header("x-amzn-ErrorType");
  if (t.empty()) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    if (!d.HasParseError() && d.IsObject() && d.HasMember("__type") && d["__type"].IsString()) t = d["__type"].GetString();
  }
  auto hash = t.rfind('#');
  if (hash != std::string::npos) t = t.substr(hash + 1);
  auto colon = t.find(':');
  if (colon != std::string::npos) t = t.substr(0, colon);
  return t;
}

Error callError(const std::string& what, Result<HttpReply>& r) {
  if (!r.ok()) return Error{1, what + ": " + r.error().message};
  return Error{1, what + ": HTTP " + std::to_string(r->status) + " " + awsType(*r) + ": " + awsMessage(*r)};
}

HttpCall dynamo(const config::HostPort& to, const std::string& op, std::string body) {
  HttpCall c;
  c.to = to;
  c.method = "POST";
  c.target = "/";
  c.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "DynamoDB_20120810." + op}};
  c.body = std::move(body);
  return c;
}

HttpCall restJson(const config::HostPort& to, const std::string& method, const std::string& target, std::string body) {
  HttpCall c;
  c.to = to;
  c.method = method;
  c.target = target;
  c.headers = {{"Content-Type", "application/json"}};
  c.body = std::move(body);
  return c;
}

void writeKeySchema(Writer& w, const geo::KeySpec& k) {
  w.Key("KeySchema");
  w.StartArray();
  w.StartObject();
  w.Key("AttributeName"); w.String(k.partition.c_str());
  w.Key("KeyType"); w.String("HASH");
  w.EndObject();
  if (!k.sort.empty()) {
    w.StartObject();
    w.Key("AttributeName"); w.String(k.sort.c_str());
    w.Key("KeyType"); w.String("RANGE");
    w.EndObject();
  }
  w.EndArray();
}

std::string createTableBody(const geo::TableSpec& t) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("TableName"); w.String(t.name.c_str());
  writeKeySchema(w, t.key);
  w.Key("AttributeDefinitions");
  w.StartArray();
  for (const auto& [name, type] : t.attributes) {
    w.StartObject();
    w.Key("AttributeName"); w.String(name.c_str());
    w.Key("AttributeType"); w.String(type.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.Key("BillingMode"); w.String("PAY_PER_REQUEST");
  if (!t.indexes.empty()) {
    w.Key("GlobalSecondaryIndexes");
    w.StartArray();
    for (const auto& ix : t.indexes) {
      w.StartObject();
      w.Key("IndexName"); w.String(ix.name.c_str());
      writeKeySchema(w, ix.key);
      w.Key("Projection");
      w.StartObject();
      w.Key("ProjectionType"); w.String(ix.projection.c_str());
      if (!ix.nonKeyAttributes.empty()) {
        w.Key("NonKeyAttributes");
        w.StartArray();
        for (const auto& a : ix.nonKeyAttributes) w.String(a.c_str());
        w.EndArray();
      }
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return b.GetString();
}

std::string batchBody(const std::string& table, const std::vector<std::string>& items, size_t from, size_t to) {
  std::string body = "{\"RequestItems\":{";
  rapidjson::StringBuffer name;
  Writer nw(name);
  nw.String(table.c_str());
  body += name.GetString();
  body += ":[";
  for (size_t i = from; i < to; ++i) {
    if (i > from) body += ',';
    body += "{\"PutRequest\":{\"Item\":" + items[i] + "}}";
  }
  body += "]}}";
  return body;
}

// UnprocessedItems of a BatchWriteItem answer, as a new request body (empty when none).
std::string unprocessed(const std::string& replyBody) {
  rapidjson::Document d;
  d.Parse(replyBody.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("UnprocessedItems") || !d["UnprocessedItems"].IsObject() ||
      d["UnprocessedItems"].MemberCount() == 0)
    return "";
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("RequestItems");
  d["UnprocessedItems"].Accept(w);
  w.EndObject();
  return b.GetString();
}

Result<bool> deployTable(HttpSession& s, const geo::StoreSpec& store, const geo::TableSpec& t, const DeployOptions& o,
                         DeployReport& rep) {
  // Seed files are read (and checked) before anything is created.
  std::vector<std::string> items;
  for (const auto& f : t.seed) {
    auto got = seedItemsFromFile(resolve(o.baseDir, f), t);
    if (!got.ok()) return got.error();
    items.insert(items.end(), std::make_move_iterator(got->begin()), std::make_move_iterator(got->end()));
  }
  auto created = s.call(dynamo(store.address, "CreateTable", createTableBody(t)));
  if (created.ok() && created->status == 400 && awsType(*created) == "ResourceInUseException") {
    ++rep.tablesKept;  // the store keeps its data between runs: the table and its items are there
    return true;
  }
  if (!created.ok() || created->status != 200) return callError("CreateTable " + t.name, created);
  ++rep.tablesCreated;
  // 25 items per BatchWriteItem (DynamoDB's limit), a few batches in flight at once.
  constexpr size_t kBatch = 25, kInFlight = 8;
  for (size_t start = 0; start < items.size(); start += kBatch * kInFlight) {
    std::vector<HttpCall> calls;
    for (size_t b = start; b < items.size() && b < start + kBatch * kInFlight; b += kBatch)
      calls.push_back(dynamo(store.address, "BatchWriteItem", batchBody(t.name, items, b, std::min(items.size(), b + kBatch))));
    auto replies = s.callAll(std::move(calls));
    for (auto& r : replies) {
      if (!r.ok() || r->status != 200) return callError("BatchWriteItem " + t.name, r);
      std::string again = unprocessed(r->body);
      for (int attempt = 0; !again.empty(); ++attempt) {
        if (attempt == 10) return Error{1, "BatchWriteItem " + t.name + ": items still unprocessed after 10 retries"};
        ::usleep(static_cast<useconds_t>(10000 << std::min(attempt, 5)));
        auto retry = s.call(dynamo(store.address, "BatchWriteItem", again));
        if (!retry.ok() || retry->status != 200) return callError("BatchWriteItem " + t.name, retry);
        again = unprocessed(retry->body);
      }
    }
  }
  rep.itemsSeeded += static_cast<long>(items.size());
  return true;
}

std::string findNativeLibrary(const std::string& lib, const std::string& codeDir, const std::string& nativeDir) {
  for (const std::string& d : {codeDir, nativeDir})
    if (!d.empty() && fs::exists(fs::path(d) / lib)) return (fs::path(d) / lib).string();
  return "";
}

Result<bool> deployFunction(HttpSession& s, const geo::Topology& topo, const geo::FunctionSpec& f,
                            const DeployOptions& o, bool haveNode, std::map<std::string, std::string>& zips,
                            DeployReport& rep) {
  const ChosenRuntime chosen = chooseRuntime(f, o.runtime, haveNode);
  const std::string codeDir = f.code.empty() ? "" : resolve(o.baseDir, f.code);
  std::vector<std::pair<std::string, std::string>> extra;
  if (chosen.native && chosen.handler.find(".so") != std::string::npos) {
    const std::string lib = chosen.handler.substr(0, chosen.handler.find(':'));
    const std::string path = findNativeLibrary(lib, codeDir, o.nativeDir);
    if (path.empty())
      return Error{1, "function " + f.name + ": native library " + lib + " is neither in " + codeDir + " nor in " + o.nativeDir};
    extra.emplace_back(lib, path);
  }
  // The native version ships only its shared object; the code directory is the Node.js one.
  // Functions sharing one package (the shop's native versions share one .so) zip it once.
  const std::string zipDir = chosen.native && f.runtime != "cdnlab-native" ? "" : codeDir;
  // A code directory alone is deployed as itself (S3Bucket "hot-reload"): the Lambda service
  // starts each new environment from the directory as it is then, so edits to the function are
  // picked up by its next cold start, no `up` again. A package with a library from elsewhere is zipped.
  const bool hotReload = !zipDir.empty() && extra.empty();
  const std::string* zip = nullptr;  // the package, unless the directory is deployed as itself
  if (!hotReload) {
    std::string zipKey = zipDir;
    for (const auto& [name, path] : extra) zipKey += "\n" + name + "=" + path;
    auto cached = zips.find(zipKey);
    if (cached == zips.end()) {
      auto built = zipDirectory(zipDir, extra);
      if (!built.ok()) return Error{1, "function " + f.name + ": " + built.error().message};
      cached = zips.emplace(zipKey, std::move(*built)).first;
    }
    zip = &cached->second;
  }

  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("FunctionName"); w.String(f.name.c_str());
  w.Key("Runtime"); w.String(chosen.runtime.c_str());
  w.Key("Handler"); w.String(chosen.handler.c_str());
  w.Key("Role"); w.String("arn:aws:iam::000000000000:role/cdnlab-up");
  w.Key("MemorySize"); w.Int(f.memoryMb);
  w.Key("Timeout"); w.Int(f.timeoutS);
  w.Key("Code");
  w.StartObject();
  if (zip) {
    w.Key("ZipFile");
    const std::string b64 = store::base64Encode(*zip);
    w.String(b64.c_str(), static_cast<rapidjson::SizeType>(b64.size()));
  } else {
    const std::string dir = fs::absolute(zipDir).lexically_normal().string();
    w.Key("S3Bucket"); w.String(lambda::kHotReloadBucket);
    w.Key("S3Key"); w.String(dir.c_str(), static_cast<rapidjson::SizeType>(dir.size()));
  }
  w.EndObject();
  if (!f.environment.empty()) {
    w.Key("Environment");
    w.StartObject();
    w.Key("Variables");
    w.StartObject();
    for (const auto& [k, v] : f.environment) {
      w.Key(k.c_str());
      w.String(v.c_str());
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndObject();
  (void)topo;
  auto created = s.call(restJson(topo.app.lambda->address, "POST", "/2015-03-31/functions", b.GetString()));
  if (!created.ok() || created->status != 201) return callError("CreateFunction " + f.name, created);
  if (f.reservedConcurrency) {
    auto r = s.call(restJson(topo.app.lambda->address, "PUT", "/2017-10-31/functions/" + f.name + "/concurrency",
                             "{\"ReservedConcurrentExecutions\":" + std::to_string(*f.reservedConcurrency) + "}"));
    if (!r.ok() || r->status != 200) return callError("PutFunctionConcurrency " + f.name, r);
  }
  if (f.provisionedConcurrency > 0) {
    // Provisioned concurrency needs a version or alias: publish one and point the alias `live`
    // at it (integrations reach it as NAME:live). The provisioning itself is asked for once
    // every component is up (provisioned.h): its environments then start while nothing else does.
    auto v = s.call(restJson(topo.app.lambda->address, "POST", "/2015-03-31/functions/" + f.name + "/versions", "{}"));
    if (!v.ok() || v->status != 201) return callError("PublishVersion " + f.name, v);
    rapidjson::Document d;
    d.Parse(v->body.c_str());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("Version") || !d["Version"].IsString())
      return Error{1, "PublishVersion " + f.name + ": no Version in the answer"};
    const std::string version = d["Version"].GetString();
    auto a = s.call(restJson(topo.app.lambda->address, "POST", "/2015-03-31/functions/" + f.name + "/aliases",
                             "{\"Name\":\"live\",\"FunctionVersion\":\"" + version + "\"}"));
    if (!a.ok() || a->status != 201) return callError("CreateAlias " + f.name, a);
  }
  ++rep.functions;
  rep.nativeFunctions += chosen.native;
  return true;
}

Result<std::string> deployApi(HttpSession& s, const geo::Topology& topo, const geo::GatewayApiSpec& api,
                              const DeployOptions& o) {
  const std::string file = resolve(o.baseDir, api.openapi);
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{1, file + ": cannot read the OpenAPI file"};
  std::ostringstream text;
  text << in.rdbuf();
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("body");
  const std::string doc = substituteEndpoints(text.str(), topo);
  w.String(doc.c_str(), static_cast<rapidjson::SizeType>(doc.size()));
  w.EndObject();
  auto imported = s.call(restJson(topo.app.gateway->address, "PUT", "/v2/apis", b.GetString()));
  if (!imported.ok() || imported->status != 201) {
    auto e = callError("ImportApi " + file, imported);
    return e;
  }
  rapidjson::Document d;
  d.Parse(imported->body.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("apiId") || !d["apiId"].IsString())
    return Error{1, "ImportApi " + file + ": no apiId in the answer"};
  const std::string id = d["apiId"].GetString();
  auto stage = s.call(restJson(topo.app.gateway->address, "POST", "/v2/apis/" + id + "/stages",
                               "{\"stageName\":\"" + api.stage + "\",\"autoDeploy\":true}"));
  if (!stage.ok() || stage->status != 201) return callError("CreateStage " + api.stage, stage);
  return id;
}

}  // namespace

ChosenRuntime chooseRuntime(const geo::FunctionSpec& f, RuntimeChoice choice, bool haveNode) {
  const bool canNative = !f.nativeHandler.empty();
  const bool isNode = f.runtime.rfind("nodejs", 0) == 0;
  const bool useNative = canNative && (choice == RuntimeChoice::Native || (choice == RuntimeChoice::Auto && isNode && !haveNode));
  if (useNative) return {"cdnlab-native", f.nativeHandler, true};
  return {f.runtime, f.handler, f.runtime == "cdnlab-native"};
}

std::string substituteEndpoints(std::string text, const geo::Topology& topo) {
  std::vector<std::pair<std::string, std::string>> vars = {{"${cdnlab.origin}", "http://" + topo.origin.address.str()}};
  if (topo.app.store) vars.push_back({"${cdnlab.store}", "http://" + topo.app.store->address.str()});
  if (topo.app.lambda) vars.push_back({"${cdnlab.lambda}", "http://" + topo.app.lambda->address.str()});
  for (const auto& [k, v] : vars)
    for (size_t at = text.find(k); at != std::string::npos; at = text.find(k, at + v.size())) text.replace(at, k.size(), v);
  return text;
}

std::string gatewayPathPrefix(const std::string& apiId, const std::string& stage) {
  return "/_api/" + apiId + (stage == "$default" ? "" : "/" + stage);
}

Result<DeployReport> deployApplication(const geo::Topology& topo, const DeployOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  DeployReport rep;
  HttpSession s(30000);
  if (topo.app.store)
    for (const auto& t : topo.app.store->tables)
      if (auto r = deployTable(s, *topo.app.store, t, o, rep); !r.ok()) return r.error();
  // A Node.js function of the shop needs both node and the AWS SDK v3 the Lambda service hands
  // its functions (NODE_PATH): without either, `auto` deploys the native version instead of a
  // function that could only answer 500.
  std::error_code ec;
  const bool haveNode = onPath("node") && std::filesystem::is_directory(lambda::defaultNodeSdkDir(), ec);
  std::map<std::string, std::string> zips;  // package key -> zip bytes
  for (const auto& f : topo.app.functions)
    if (auto r = deployFunction(s, topo, f, o, haveNode, zips, rep); !r.ok()) return r.error();
  if (topo.app.gateway)
    for (const auto& api : topo.app.gateway->apis) {
      auto id = deployApi(s, topo, api, o);
      if (!id.ok()) return id.error();
      rep.apiIds.push_back(*id);
    }
  rep.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace cdnlab::bench::run
