// Reading the application sections of a topology (see topology_app.h).
#include "geo/topology_app.h"

#include <algorithm>
#include <set>

#include "geo/ip_network.h"

namespace cdnlab::geo {
namespace {

using config::Object;

bool isLoopbackHost(const std::string& host) {
  static const IpNetwork net = *parseNetwork("127.0.0.0/8");
  auto a = parseAddress(host);
  return a && a->within(net);
}

config::HostPort readListener(Object& o) {
  config::HostPort hp = o.address("address");
  if (!hp.host.empty() && !isLoopbackHost(hp.host))
    o.fail("address", "must be an IPv4 address in 127.0.0.0/8 (got \"" + hp.host + "\")");
  return hp;
}

// DynamoDB's table and index names: 3-255 of [a-zA-Z0-9_.-].
bool isDynamoName(const std::string& s) {
  return s.size() >= 3 && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

// Lambda function names: 1-64 of [a-zA-Z0-9_-].
bool isFunctionName(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
         });
}

KeySpec readKey(Object& parent, std::string_view field) {
  Object k = parent.object(field);
  KeySpec key;
  key.partition = k.string("partition");
  key.sort = k.string("sort", "");
  return key;
}

// Every key attribute must be declared, and only key attributes may be (DynamoDB refuses
// AttributeDefinitions that no key schema uses).
void checkKeyAttributes(Object& o, std::string_view field, const KeySpec& key,
                        const std::map<std::string, std::string>& attrs) {
  for (const std::string* a : {&key.partition, &key.sort})
    if (!a->empty() && !attrs.count(*a))
      o.fail(field, "key attribute \"" + *a + "\" is not declared in the table's `attributes`");
}

TableSpec readTable(Object& o) {
  TableSpec t;
  t.name = o.string("name");
  if (!t.name.empty() && !isDynamoName(t.name))
    o.fail("name", "must be 3-255 characters of letters, digits, '_', '-' or '.' (got \"" + t.name + "\")");
  t.key = readKey(o, "key");
  if (auto attrs = o.optionalObject("attributes")) {
    for (const auto& name : attrs->keys()) {
      std::string type = attrs->choice(name, {"S", "N", "B"});
      t.attributes[name] = type;
    }
  } else {
    o.fail("attributes", "required: the type (S, N or B) of every key attribute, e.g. {id: S}");
  }
  checkKeyAttributes(o, "key", t.key, t.attributes);
  std::set<std::string> indexNames;
  for (Object& io : o.objectList("indexes", config::Presence::Optional)) {
    IndexSpec ix;
    ix.name = io.string("name");
    if (!ix.name.empty() && !isDynamoName(ix.name))
      io.fail("name", "must be 3-255 characters of letters, digits, '_', '-' or '.' (got \"" + ix.name + "\")");
    if (!indexNames.insert(ix.name).second) io.fail("name", "duplicate index name \"" + ix.name + "\"");
    ix.key = readKey(io, "key");
    checkKeyAttributes(io, "key", ix.key, t.attributes);
    ix.projection = io.choice("projection", {"ALL", "KEYS_ONLY", "INCLUDE"}, "ALL");
    ix.nonKeyAttributes = io.stringList("include", config::Presence::Optional);
    if (ix.projection == "INCLUDE" && ix.nonKeyAttributes.empty())
      io.fail("include", "projection INCLUDE needs the attributes to include");
    if (ix.projection != "INCLUDE" && !ix.nonKeyAttributes.empty())
      io.fail("include", "only with projection INCLUDE");
    t.indexes.push_back(std::move(ix));
  }
  if (t.indexes.size() > 20) o.fail("indexes", "at most 20 global secondary indexes per table");
  // Declared attributes no key uses are refused by CreateTable: say so here, with the line.
  for (const auto& [name, type] : t.attributes) {
    bool used = name == t.key.partition || name == t.key.sort;
    for (const auto& ix : t.indexes) used |= name == ix.key.partition || name == ix.key.sort;
    if (!used) o.fail("attributes", "\"" + name + "\" is not part of any key or index key (DynamoDB refuses unused attribute definitions)");
  }
  t.seed = o.stringList("seed", config::Presence::Optional);
  for (const auto& f : t.seed) {
    const bool json = f.size() > 5 && f.compare(f.size() - 5, 5, ".json") == 0;
    const bool csv = f.size() > 4 && f.compare(f.size() - 4, 4, ".csv") == 0;
    if (!json && !csv) o.fail("seed", "\"" + f + "\": seed files must end in .json or .csv");
  }
  return t;
}

StoreSpec readStore(Object& o) {
  StoreSpec s;
  s.address = readListener(o);
  s.sync = o.choice("sync", {"always", "batch", "none"}, "batch");
  std::set<std::string> names;
  for (Object& to : o.objectList("tables", config::Presence::Optional)) {
    s.tables.push_back(readTable(to));
    if (!names.insert(s.tables.back().name).second) to.fail("name", "duplicate table name \"" + s.tables.back().name + "\"");
  }
  return s;
}

LambdaSpec readLambda(Object& o) {
  LambdaSpec l;
  l.address = readListener(o);
  l.maxConcurrency = static_cast<int>(o.integer("max_concurrency", 1000, config::between<std::int64_t>(1, 100000)));
  using namespace std::chrono_literals;
  l.idleTimeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      o.duration("idle_timeout", 300s, config::between<config::Duration>(1s, 24h)));
  return l;
}

FunctionSpec readFunction(Object& o) {
  FunctionSpec f;
  f.name = o.string("name");
  if (!f.name.empty() && !isFunctionName(f.name))
    o.fail("name", "must be 1-64 characters of letters, digits, '-' or '_' (got \"" + f.name + "\")");
  f.runtime = o.string("runtime");
  if (!f.runtime.empty() && !isKnownRuntime(f.runtime))
    o.fail("runtime", "unknown runtime \"" + f.runtime +
                          "\" (nodejs16.x..nodejs22.x, python3.8..python3.13, provided, provided.al2, provided.al2023, cdnlab-native)");
  f.handler = o.string("handler");
  f.code = o.string("code", "");
  if (f.code.empty() && f.runtime != "cdnlab-native") o.fail("code", "required: the directory with the function's code");
  f.memoryMb = static_cast<int>(o.integer("memory", 128, config::between<std::int64_t>(128, 10240)));
  using namespace std::chrono_literals;
  const auto timeout = o.duration("timeout", 3s, config::between<config::Duration>(1s, 900s));
  f.timeoutS = static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
  if (std::chrono::duration_cast<config::Duration>(std::chrono::seconds(f.timeoutS)) != timeout)
    o.fail("timeout", "must be whole seconds (Lambda's Timeout is in seconds)");
  if (o.has("reserved_concurrency"))
    f.reservedConcurrency = static_cast<int>(o.integer("reserved_concurrency", config::between<std::int64_t>(0, 100000)));
  f.provisionedConcurrency =
      static_cast<int>(o.integer("provisioned_concurrency", 0, config::between<std::int64_t>(0, 100000)));
  if (f.reservedConcurrency && f.provisionedConcurrency > *f.reservedConcurrency)
    o.fail("provisioned_concurrency", "must not exceed reserved_concurrency (" + std::to_string(*f.reservedConcurrency) + ")");
  if (auto env = o.optionalObject("environment")) {
    for (const auto& k : env->keys()) {
      // Lambda's rule for variable names; AWS_* names are reserved by the runtime.
      const bool ok = !k.empty() && std::isalpha(static_cast<unsigned char>(k[0])) &&
                      std::all_of(k.begin(), k.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
      std::string v = env->string(k);
      if (!ok) env->fail(k, "environment variable names are letters, digits and '_', starting with a letter");
      f.environment[k] = std::move(v);
    }
  }
  f.nativeHandler = o.string("native_handler", "");
  if (!f.nativeHandler.empty() && f.nativeHandler.find_first_of(" \t\r\n") != std::string::npos)
    o.fail("native_handler", "must be `library.so:name` without spaces");
  if (f.runtime == "cdnlab-native" && !f.nativeHandler.empty())
    o.fail("native_handler", "only for functions of another runtime (this one is already native)");
  return f;
}

GatewaySpec readGateway(Object& o) {
  GatewaySpec g;
  g.address = readListener(o);
  g.workers = static_cast<int>(o.integer("workers", 1, config::between<std::int64_t>(1, 64)));
  for (Object& ao : o.objectList("apis")) {
    GatewayApiSpec a;
    a.openapi = ao.string("openapi");
    a.stage = ao.string("stage", "$default");
    const bool ok = a.stage == "$default" ||
                    (!a.stage.empty() && a.stage.size() <= 128 && std::all_of(a.stage.begin(), a.stage.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
                     }));
    if (!ok) ao.fail("stage", "must be $default or 1-128 letters, digits, '-' or '_' (got \"" + a.stage + "\")");
    g.apis.push_back(std::move(a));
  }
  if (g.apis.empty() && o.has("apis")) o.fail("apis", "at least one API is required");
  return g;
}

}  // namespace

bool isKnownRuntime(const std::string& r) {
  static const std::set<std::string> known = {
      "nodejs16.x", "nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.8",    "python3.9",       "python3.10",
      "python3.11", "python3.12", "python3.13", "provided",   "provided.al2", "provided.al2023", "cdnlab-native"};
  return known.count(r) > 0;
}

AppSpec readApp(Object& root) {
  AppSpec app;
  if (auto s = root.optionalObject("store")) app.store = readStore(*s);
  std::optional<Object> lambdaObj = root.optionalObject("lambda");
  if (lambdaObj) app.lambda = readLambda(*lambdaObj);
  std::vector<Object> fnObjs = root.objectList("functions", config::Presence::Optional);
  std::set<std::string> names;
  for (Object& fo : fnObjs) {
    app.functions.push_back(readFunction(fo));
    if (!names.insert(app.functions.back().name).second)
      fo.fail("name", "duplicate function name \"" + app.functions.back().name + "\"");
  }
  if (!app.functions.empty() && !app.lambda)
    root.fail("functions", "functions need a `lambda:` section (where the Lambda service listens)");
  if (auto g = root.optionalObject("gateway")) app.gateway = readGateway(*g);
  return app;
}

}  // namespace cdnlab::geo
