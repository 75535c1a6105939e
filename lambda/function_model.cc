// Function records: validation rules, ARNs, AWS JSON shapes and persistence (see function_model.h).
#include "lambda/function_model.h"

#include <algorithm>
#include <cctype>

#include "lambda/codec.h"

namespace cdnlab::lambda {

const std::vector<std::string>& supportedRuntimes() {
  static const std::vector<std::string> list = {
      "nodejs16.x", "nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.8",  "python3.9",       "python3.10",
      "python3.11", "python3.12", "python3.13", "provided",   "provided.al2", "provided.al2023", "cdnlab-native"};
  return list;
}

std::optional<RuntimeKind> runtimeKind(std::string_view runtime) {
  if (std::find(supportedRuntimes().begin(), supportedRuntimes().end(), runtime) == supportedRuntimes().end())
    return std::nullopt;
  if (runtime.rfind("nodejs", 0) == 0) return RuntimeKind::Node;
  if (runtime.rfind("python", 0) == 0) return RuntimeKind::Python;
  if (runtime == "cdnlab-native") return RuntimeKind::Native;
  return RuntimeKind::Provided;
}

static bool nameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

bool validFunctionName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), nameChar);
}

bool validAliasName(std::string_view name) {
  // (?!^[0-9]+$)([a-zA-Z0-9-_]+): not all digits, so an alias never shadows a version number.
  if (name.empty() || name.size() > 128 || !std::all_of(name.begin(), name.end(), nameChar)) return false;
  return !std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

Result<FunctionRef> parseFunctionRef(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t c = text.find(':', start);
    parts.push_back(text.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
  }
  FunctionRef ref;
  if (parts.size() == 1 || parts.size() == 2) {
    ref.name = parts[0];
    if (parts.size() == 2) ref.qualifier = parts[1];
  } else if ((parts.size() == 3 || parts.size() == 4) && parts[1] == "function") {
    ref.name = parts[2];
    if (parts.size() == 4) ref.qualifier = parts[3];
  } else if ((parts.size() == 7 || parts.size() == 8) && parts[0] == "arn" && parts[2] == "lambda" &&
             parts[5] == "function") {
    ref.name = parts[6];
    if (parts.size() == 8) ref.qualifier = parts[7];
  } else {
    return Error{400, std::string(text)};
  }
  bool qualified = parts.size() == 2 || parts.size() == 4 || parts.size() == 8;
  if (!validFunctionName(ref.name) || (qualified && ref.qualifier.empty())) return Error{400, std::string(text)};
  return ref;
}

std::string functionArn(const AccountInfo& a, std::string_view name) {
  return "arn:aws:lambda:" + a.region + ":" + a.accountId + ":function:" + std::string(name);
}

std::string qualifiedArn(const AccountInfo& a, std::string_view name, std::string_view qualifier) {
  std::string arn = functionArn(a, name);
  if (!qualifier.empty()) arn.append(":").append(qualifier);
  return arn;
}

std::optional<ApiError> checkTimeout(int64_t seconds) {
  if (seconds < 1) return validationError(std::to_string(seconds), "timeout", "Member must have value greater than or equal to 1");
  if (seconds > 900) return validationError(std::to_string(seconds), "timeout", "Member must have value less than or equal to 900");
  return std::nullopt;
}

std::optional<ApiError> checkMemory(int64_t mb) {
  if (mb < 128) return validationError(std::to_string(mb), "memorySize", "Member must have value greater than or equal to 128");
  if (mb > 10240) return validationError(std::to_string(mb), "memorySize", "Member must have value less than or equal to 10240");
  return std::nullopt;
}

std::optional<ApiError> checkRuntime(std::string_view runtime) {
  if (runtimeKind(runtime)) return std::nullopt;
  std::string set = "Member must satisfy enum value set: [";
  for (size_t i = 0; i < supportedRuntimes().size(); ++i) set += (i ? ", " : "") + supportedRuntimes()[i];
  set += "] or be a valid ARN";
  return validationError(runtime, "runtime", set);
}

std::optional<ApiError> checkHandler(std::string_view handler) {
  if (handler.empty()) return invalidParameter("The Handler parameter is required for functions with a runtime (Zip package type).");
  if (handler.size() > 128) return validationError(handler, "handler", "Member must have length less than or equal to 128");
  if (std::any_of(handler.begin(), handler.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return validationError(handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+");
  return std::nullopt;
}

std::optional<ApiError> checkEnvironment(const std::map<std::string, std::string>& vars) {
  static const char* reserved[] = {"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
                                   "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                   "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
                                   "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
                                   "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                                   "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"};
  std::string used;
  size_t total = 0;
  for (const auto& [k, v] : vars) {
    total += k.size() + v.size();
    bool keyOk = !k.empty() && (std::isalpha(static_cast<unsigned char>(k[0])) || k[0] == '_') &&
                 std::all_of(k.begin(), k.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!keyOk) return validationError(k, "environment.variables", "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+");
    for (const char* r : reserved)
      if (k == r) used += (used.empty() ? "" : ", ") + k;
  }
  if (!used.empty())
    return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have "
                            "provided contains reserved keys that are currently not supported for modification. Reserved keys used "
                            "in this request: " + used);
  if (total > 4096)
    return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have "
                            "provided exceeded the 4KB limit. String measured: " + std::to_string(total));
  return std::nullopt;
}

std::optional<ApiError> checkRole(std::string_view role) {
  // Hand-matched rather than std::regex: the pattern is short and fixed, and this keeps the
  // check linear in the (client-controlled) input.
  auto fail = [&] {
    return validationError(role, "role", "Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  };
  std::string_view s = role;
  if (s.substr(0, 4) != "arn:") return fail();
  s.remove_prefix(4);
  if (s.substr(0, 3) == "aws") {
    size_t i = 3;
    while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '-')) ++i;
    s.remove_prefix(i);
  }
  if (s.substr(0, 6) != ":iam::") return fail();
  s.remove_prefix(6);
  if (s.size() < 12 || !std::all_of(s.begin(), s.begin() + 12, [](char c) { return c >= '0' && c <= '9'; })) return fail();
  s.remove_prefix(12);
  if (s.substr(0, 5) != ":role") return fail();
  s.remove_prefix(5);
  if (!s.empty() && s[0] == '/') s.remove_prefix(1);
  auto roleChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_+=,.@-/").find(c) != std::string_view::npos;
  };
  if (s.empty() || !std::all_of(s.begin(), s.end(), roleChar)) return fail();
  if (role.size() > 2048) return fail();
  return std::nullopt;
}

std::optional<ApiError> checkArchitectures(const std::vector<std::string>& list) {
  std::string shown = "[";
  for (size_t i = 0; i < list.size(); ++i) shown += (i ? ", " : "") + list[i];
  shown += "]";
  if (list.size() != 1)
    return validationError(shown, "architectures", "Member must have length less than or equal to 1, Member must have length greater than or equal to 1");
  if (list[0] != "x86_64" && list[0] != "arm64")
    return validationError(shown, "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]");
  return std::nullopt;
}

std::optional<ApiError> checkTags(const std::map<std::string, std::string>& tags) {
  if (tags.size() > 50) return invalidParameter("Number of tags exceeds resource tag limit.");
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128)
      return invalidParameter("Tag keys must be between 1 and 128 characters in length: " + k);
    if (k.rfind("aws:", 0) == 0)
      return invalidParameter("Tag keys cannot start with 'aws:' (a prefix reserved for AWS use): " + k);
    if (v.size() > 256) return invalidParameter("Tag values must be at most 256 characters in length: " + k);
  }
  return std::nullopt;
}

void writeFunctionConfiguration(JsonWriter& w, const AccountInfo& a, const std::string& name, const FunctionConfig& c,
                                std::string_view arnQualifier) {
  if (arnQualifier.empty() && c.version != "$LATEST") arnQualifier = c.version;
  w.startObject();
  w.key("FunctionName").string(name);
  w.key("FunctionArn").string(qualifiedArn(a, name, arnQualifier));
  w.key("Runtime").string(c.runtime);
  w.key("Role").string(c.role);
  w.key("Handler").string(c.handler);
  w.key("CodeSize").integer(c.code.size);
  w.key("Description").string(c.description);
  w.key("Timeout").integer(c.timeoutSeconds);
  w.key("MemorySize").integer(c.memoryMb);
  w.key("LastModified").string(lastModifiedTimestamp(c.lastModifiedMs));
  w.key("CodeSha256").string(c.code.sha256);
  w.key("Version").string(c.version);
  if (!c.environment.empty()) {
    w.key("Environment").startObject().key("Variables").startObject();
    for (const auto& [k, v] : c.environment) w.key(k).string(v);
    w.endObject().endObject();
  }
  w.key("TracingConfig").startObject().key("Mode").string(c.tracingMode).endObject();
  w.key("RevisionId").string(c.revisionId);
  w.key("State").string("Active");
  w.key("LastUpdateStatus").string("Successful");
  w.key("PackageType").string("Zip");
  w.key("Architectures").startArray().string(c.architecture).endArray();
  w.key("EphemeralStorage").startObject().key("Size").integer(c.ephemeralStorageMb).endObject();
  w.key("SnapStart").startObject().key("ApplyOn").string("None").key("OptimizationStatus").string("Off").endObject();
  w.key("LoggingConfig").startObject().key("LogFormat").string("Text").key("LogGroup").string("/aws/lambda/" + name).endObject();
  w.endObject();
}

std::string functionConfigurationJson(const AccountInfo& a, const std::string& name, const FunctionConfig& c,
                                      std::string_view arnQualifier) {
  JsonWriter w;
  writeFunctionConfiguration(w, a, name, c, arnQualifier);
  return w.take();
}

std::string aliasJson(const AccountInfo& a, const std::string& function, const Alias& alias) {
  JsonWriter w;
  w.startObject();
  w.key("AliasArn").string(qualifiedArn(a, function, alias.name));
  w.key("Name").string(alias.name);
  w.key("FunctionVersion").string(alias.functionVersion);
  w.key("Description").string(alias.description);
  w.key("RevisionId").string(alias.revisionId);
  w.endObject();
  return w.take();
}

// ---- persistence ----

static void writeConfig(JsonWriter& w, const FunctionConfig& c) {
  w.startObject();
  w.key("runtime").string(c.runtime);
  w.key("handler").string(c.handler);
  w.key("role").string(c.role);
  w.key("description").string(c.description);
  w.key("timeout").integer(c.timeoutSeconds);
  w.key("memory").integer(c.memoryMb);
  w.key("environment").startObject();
  for (const auto& [k, v] : c.environment) w.key(k).string(v);
  w.endObject();
  w.key("architecture").string(c.architecture);
  w.key("tracingMode").string(c.tracingMode);
  w.key("ephemeralStorage").integer(c.ephemeralStorageMb);
  w.key("codeSha256").string(c.code.sha256);
  w.key("codeSize").integer(c.code.size);
  w.key("zipPath").string(c.code.zipPath);
  w.key("codeDir").string(c.code.dir);
  if (c.code.localDirectory) w.key("localDirectory").boolean(true);
  w.key("lastModifiedMs").integer(c.lastModifiedMs);
  w.key("revisionId").string(c.revisionId);
  w.key("version").string(c.version);
  w.endObject();
}

std::string recordToJson(const FunctionRecord& r) {
  JsonWriter w;
  w.startObject();
  w.key("format").integer(1);
  w.key("name").string(r.name);
  w.key("latest");
  writeConfig(w, r.latest);
  w.key("versions").startArray();
  for (const auto& [n, c] : r.versions) writeConfig(w, c);
  w.endArray();
  w.key("lastVersion").integer(r.lastVersion);
  w.key("aliases").startArray();
  for (const auto& [n, a] : r.aliases) {
    w.startObject().key("name").string(a.name).key("functionVersion").string(a.functionVersion);
    w.key("description").string(a.description).key("revisionId").string(a.revisionId).endObject();
  }
  w.endArray();
  if (r.reservedConcurrency) w.key("reservedConcurrency").integer(*r.reservedConcurrency);
  w.key("provisioned").startObject();
  for (const auto& [q, n] : r.provisioned) w.key(q).integer(n);
  w.endObject();
  w.key("eventInvokeConfigs").startObject();
  for (const auto& [q, c] : r.eventInvokeConfigs) {
    w.key(q);
    writeEventInvokeConfigRecord(w, c);
  }
  w.endObject();
  w.key("tags").startObject();
  for (const auto& [k, v] : r.tags) w.key(k).string(v);
  w.endObject();
  w.key("policies").startObject();
  for (const auto& [q, p] : r.policies) {
    w.key(q).startObject().key("revisionId").string(p.revisionId).key("statements").startArray();
    for (const auto& st : p.statements) w.startObject().key("sid").string(st.sid).key("statement").string(st.json).endObject();
    w.endArray().endObject();
  }
  w.endObject();
  w.endObject();
  return w.take();
}

namespace {

// Reads persisted fields; the first problem is kept with its field path.
struct Reader {
  std::string error;
  std::string str(const rapidjson::Value& o, const char* f, const std::string& path) {
    auto it = o.FindMember(f);
    if (it == o.MemberEnd() || !it->value.IsString()) {
      if (error.empty()) error = path + "." + f + ": missing or not a string";
      return {};
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
  }
  int64_t num(const rapidjson::Value& o, const char* f, const std::string& path) {
    auto it = o.FindMember(f);
    if (it == o.MemberEnd() || !it->value.IsInt64()) {
      if (error.empty()) error = path + "." + f + ": missing or not an integer";
      return 0;
    }
    return it->value.GetInt64();
  }
  FunctionConfig config(const rapidjson::Value& o, const std::string& path) {
    FunctionConfig c;
    if (!o.IsObject()) {
      if (error.empty()) error = path + ": not an object";
      return c;
    }
    c.runtime = str(o, "runtime", path);
    c.handler = str(o, "handler", path);
    c.role = str(o, "role", path);
    c.description = str(o, "description", path);
    c.timeoutSeconds = static_cast<int>(num(o, "timeout", path));
    c.memoryMb = static_cast<int>(num(o, "memory", path));
    auto env = o.FindMember("environment");
    if (env != o.MemberEnd() && env->value.IsObject()) {
      for (auto& m : env->value.GetObject())
        if (m.value.IsString()) c.environment[m.name.GetString()] = m.value.GetString();
    }
    // Records written before architectures were kept have none: x86_64, what they showed.
    auto arch = o.FindMember("architecture");
    if (arch != o.MemberEnd()) c.architecture = str(o, "architecture", path);
    if (c.architecture != "x86_64" && c.architecture != "arm64" && error.empty())
      error = path + ".architecture: not x86_64 or arm64";
    // Likewise tracing and ephemeral storage: their defaults.
    if (o.HasMember("tracingMode")) c.tracingMode = str(o, "tracingMode", path);
    if (o.HasMember("ephemeralStorage")) c.ephemeralStorageMb = static_cast<int>(num(o, "ephemeralStorage", path));
    c.code.sha256 = str(o, "codeSha256", path);
    c.code.size = num(o, "codeSize", path);
    c.code.zipPath = str(o, "zipPath", path);
    c.code.dir = str(o, "codeDir", path);
    auto local = o.FindMember("localDirectory");
    c.code.localDirectory = local != o.MemberEnd() && local->value.IsBool() && local->value.GetBool();
    c.lastModifiedMs = num(o, "lastModifiedMs", path);
    c.revisionId = str(o, "revisionId", path);
    c.version = str(o, "version", path);
    return c;
  }
};

}  // namespace

Result<FunctionRecord> recordFromJson(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return Error{1, "not a JSON object"};
  Reader rd;
  FunctionRecord r;
  r.name = rd.str(d, "name", "$");
  auto latest = d.FindMember("latest");
  if (latest == d.MemberEnd()) return Error{1, "$.latest: missing"};
  r.latest = rd.config(latest->value, "$.latest");
  auto versions = d.FindMember("versions");
  if (versions != d.MemberEnd() && versions->value.IsArray()) {
    int i = 0;
    for (auto& v : versions->value.GetArray()) {
      FunctionConfig c = rd.config(v, "$.versions[" + std::to_string(i++) + "]");
      int n = std::atoi(c.version.c_str());
      if (n <= 0 && rd.error.empty()) rd.error = "$.versions: bad version " + c.version;
      r.versions[n] = c;
    }
  }
  r.lastVersion = static_cast<int>(rd.num(d, "lastVersion", "$"));
  auto aliases = d.FindMember("aliases");
  if (aliases != d.MemberEnd() && aliases->value.IsArray()) {
    for (auto& a : aliases->value.GetArray()) {
      Alias al{rd.str(a, "name", "$.aliases[]"), rd.str(a, "functionVersion", "$.aliases[]"),
               rd.str(a, "description", "$.aliases[]"), rd.str(a, "revisionId", "$.aliases[]")};
      r.aliases[al.name] = al;
    }
  }
  auto reserved = d.FindMember("reservedConcurrency");
  if (reserved != d.MemberEnd() && reserved->value.IsInt()) r.reservedConcurrency = reserved->value.GetInt();
  auto prov = d.FindMember("provisioned");
  if (prov != d.MemberEnd() && prov->value.IsObject())
    for (auto& m : prov->value.GetObject())
      if (m.value.IsInt()) r.provisioned[m.name.GetString()] = m.value.GetInt();
  auto eics = d.FindMember("eventInvokeConfigs");
  if (eics != d.MemberEnd() && eics->value.IsObject()) {
    for (auto& m : eics->value.GetObject()) {
      std::string q(m.name.GetString(), m.name.GetStringLength());
      auto c = readEventInvokeConfigRecord(m.value, "$.eventInvokeConfigs." + q);
      if (!c.ok()) return c.error();
      r.eventInvokeConfigs[q] = c.value();
    }
  }
  auto tags = d.FindMember("tags");
  if (tags != d.MemberEnd()) {
    if (!tags->value.IsObject()) return Error{1, "$.tags: not an object"};
    for (auto& m : tags->value.GetObject()) {
      if (!m.value.IsString()) return Error{1, std::string("$.tags.") + m.name.GetString() + ": not a string"};
      r.tags[std::string(m.name.GetString(), m.name.GetStringLength())] =
          std::string(m.value.GetString(), m.value.GetStringLength());
    }
  }
  auto policies = d.FindMember("policies");
  if (policies != d.MemberEnd()) {
    if (!policies->value.IsObject()) return Error{1, "$.policies: not an object"};
    for (auto& m : policies->value.GetObject()) {
      std::string q(m.name.GetString(), m.name.GetStringLength());
      std::string path = "$.policies." + q;
      if (!m.value.IsObject()) return Error{1, path + ": not an object"};
      FunctionPolicy p;
      p.revisionId = rd.str(m.value, "revisionId", path);
      auto list = m.value.FindMember("statements");
      if (list == m.value.MemberEnd() || !list->value.IsArray()) return Error{1, path + ".statements: missing or not an array"};
      for (auto& st : list->value.GetArray()) {
        if (!st.IsObject()) return Error{1, path + ".statements[]: not an object"};
        p.statements.push_back(PolicyStatement{rd.str(st, "sid", path + ".statements[]"), rd.str(st, "statement", path + ".statements[]")});
      }
      r.policies[q] = std::move(p);
    }
  }
  if (!rd.error.empty()) return Error{1, rd.error};
  if (!validFunctionName(r.name)) return Error{1, "$.name: not a valid function name"};
  return r;
}

}  // namespace cdnlab::lambda
