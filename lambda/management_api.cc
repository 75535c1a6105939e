// The Lambda management API: functions, code, versions, aliases, concurrency (see service.h).
// Each operation parses -> validates -> changes the registry -> persists -> renders, and answers
// with AWS's error type for each failure.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/parse_integer.h"
#include "lambda/codec.h"
#include "lambda/list_page.h"
#include "lambda/optional_config.h"
#include "lambda/service.h"
#include "lambda/tags.h"

namespace cdnlab::lambda {

namespace {

ApiError badBody(const Error& e) { return invalidRequestContent(e.message); }

// AWS's optimistic locking: a RevisionId in the request must name the current revision.
bool revisionMatches(const rapidjson::Value& body, const std::string& current) {
  auto given = getString(body, "RevisionId");
  return !given || !*given || **given == current;
}

ApiError revisionMismatch() {
  return preconditionFailed("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
}

// Environment.Variables of a request body.
ApiResult<std::optional<std::map<std::string, std::string>>> environmentOf(const rapidjson::Value& body) {
  auto env = body.FindMember("Environment");
  if (env == body.MemberEnd() || env->value.IsNull()) return std::optional<std::map<std::string, std::string>>{};
  if (!env->value.IsObject()) return invalidRequestContent("Environment must be an object");
  std::map<std::string, std::string> vars;
  auto v = env->value.FindMember("Variables");
  if (v != env->value.MemberEnd() && !v->value.IsNull()) {
    if (!v->value.IsObject()) return invalidRequestContent("Environment.Variables must be an object");
    for (auto& m : v->value.GetObject()) {
      if (!m.value.IsString()) return invalidRequestContent("Environment.Variables values must be strings");
      vars[std::string(m.name.GetString(), m.name.GetStringLength())] =
          std::string(m.value.GetString(), m.value.GetStringLength());
    }
  }
  if (auto e = checkEnvironment(vars)) return *e;
  return std::optional<std::map<std::string, std::string>>(std::move(vars));
}

// Applies the configuration fields present in `body` to `c` (create and update share this).
std::optional<ApiError> applyConfig(FunctionConfig& c, const rapidjson::Value& body, const std::string& functionName) {
  if (auto e = applyOptionalConfig(c, body, functionName)) return e;
  auto runtime = getString(body, "Runtime");
  auto handler = getString(body, "Handler");
  auto role = getString(body, "Role");
  auto description = getString(body, "Description");
  auto timeout = getInt(body, "Timeout");
  auto memory = getInt(body, "MemorySize");
  for (const Error* e : {runtime ? nullptr : &runtime.error(), handler ? nullptr : &handler.error(),
                         role ? nullptr : &role.error(), description ? nullptr : &description.error(),
                         timeout ? nullptr : &timeout.error(), memory ? nullptr : &memory.error()})
    if (e) return badBody(*e);
  if (*runtime) {
    if (auto e = checkRuntime(**runtime)) return e;
    c.runtime = **runtime;
  }
  if (*handler) {
    if (auto e = checkHandler(**handler)) return e;
    c.handler = **handler;
  }
  if (*role) {
    if (auto e = checkRole(**role)) return e;
    c.role = **role;
  }
  if (*description) {
    if ((*description)->size() > 256)
      return validationError(**description, "description", "Member must have length less than or equal to 256");
    c.description = **description;
  }
  if (*timeout) {
    if (auto e = checkTimeout(**timeout)) return e;
    c.timeoutSeconds = static_cast<int>(**timeout);
  }
  if (*memory) {
    if (auto e = checkMemory(**memory)) return e;
    c.memoryMb = static_cast<int>(**memory);
  }
  auto env = environmentOf(body);
  if (!env) return env.error();
  if (*env) c.environment = std::move(**env);
  return std::nullopt;
}

// Architectures (CreateFunction, UpdateFunctionCode): one of x86_64 / arm64, kept on the
// configuration and shown back; the code runs on this machine's CPU either way.
std::optional<ApiError> applyArchitectures(FunctionConfig& c, const rapidjson::Value& body) {
  auto it = body.FindMember("Architectures");
  if (it == body.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsArray()) return invalidRequestContent("Architectures must be a list of strings");
  std::vector<std::string> list;
  for (auto& v : it->value.GetArray()) {
    if (!v.IsString()) return invalidRequestContent("Architectures must be a list of strings");
    list.emplace_back(v.GetString(), v.GetStringLength());
  }
  if (auto e = checkArchitectures(list)) return e;
  c.architecture = list[0];
  return std::nullopt;
}

std::string versionsPrefix() { return "/2015-03-31/functions/"; }

}  // namespace

ApiResult<FunctionRecord*> LambdaService::requireFunction(const std::string& nameOrArn) {
  auto ref = parseFunctionRef(nameOrArn);
  if (!ref) return validationError(nameOrArn, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
  FunctionRecord* rec = registry_->find(ref->name);
  if (!rec) return resourceNotFound(notFoundMessage(options_.account, ref->name, ""));
  return rec;
}

ApiResult<LambdaService::FunctionAndBody> LambdaService::requireFunctionAndBody(const std::string& nameOrArn,
                                                                              const http::Request& req) {
  auto rec = requireFunction(nameOrArn);
  if (!rec) return rec.error();
  auto body = parseObject(req.body);
  if (!body) return badBody(body.error());
  return FunctionAndBody{*rec, std::move(body.value())};
}

ApiResult<CodeRef> LambdaService::storeZipField(const std::string& name, const rapidjson::Value& code) {
  auto bucket = getString(code, "S3Bucket");
  if (!bucket) return badBody(bucket.error());
  if (*bucket && **bucket == kHotReloadBucket) {
    // A local directory as the code (hot reload, as LocalStack names it): S3Key is its path.
    if (code.HasMember("ZipFile") || code.HasMember("S3ObjectVersion"))
      return invalidParameter("Please do not provide other FunctionCode properties when providing a ZipFile or S3 bucket.");
    auto key = getString(code, "S3Key");
    if (!key) return badBody(key.error());
    if (!*key) return invalidParameter("S3Key is required with S3Bucket hot-reload: the absolute path of the code directory.");
    auto dir = registry_->code().directory(**key);
    if (!dir) return invalidParameter(dir.error().message);
    return *dir;
  }
  for (const char* s3 : {"S3Bucket", "S3Key", "S3ObjectVersion"})
    if (code.HasMember(s3))
      return invalidParameter(std::string("cdnlab lambda keeps code itself and has no S3: ") + s3 +
                              " is not supported. Upload the zip as ZipFile (aws-cli: --zip-file fileb://function.zip),"
                              " or give a local directory as S3Bucket \"hot-reload\" with its absolute path as S3Key.");
  if (code.HasMember("ImageUri"))
    return invalidParameter("cdnlab lambda runs Zip packages only: ImageUri is not supported.");
  auto zip = getString(code, "ZipFile");
  if (!zip) return badBody(zip.error());
  if (!*zip) return invalidParameter("Please provide a source for function code: ZipFile.");
  auto bytes = base64Decode(**zip);
  if (!bytes) return invalidRequestContent("Could not parse request body into json: ZipFile is not valid base64.");
  if (bytes->size() > 52428800)
    return {ApiError{413, "RequestEntityTooLargeException", "Request must be smaller than 70167211 bytes for the CreateFunction operation"}};
  auto stored = registry_->code().store(name, *bytes);
  if (!stored) {
    if (stored.error().code == 1)
      return invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again. (" +
                              stored.error().message + ")");
    return serviceError("Could not store the code: " + stored.error().message);
  }
  return *stored;
}

ApiResult<http::Response> LambdaService::createFunction(const http::Request& req) {
  auto body = parseObject(req.body);
  if (!body) return badBody(body.error());
  auto name = getString(*body, "FunctionName");
  if (!name) return badBody(name.error());
  if (!*name) return validationError("null", "functionName", "Member must not be null");
  auto ref = parseFunctionRef(**name);
  if (!ref || !ref->qualifier.empty())
    return validationError(**name, "functionName", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+");
  if (registry_->find(ref->name)) return resourceConflict("Function already exist: " + ref->name);
  auto packageType = getString(*body, "PackageType");
  if (packageType && *packageType && **packageType == "Image")
    return invalidParameter("cdnlab lambda runs Zip packages only: PackageType Image is not supported.");
  FunctionRecord rec;
  rec.name = ref->name;
  FunctionConfig& c = rec.latest;
  if (auto e = applyConfig(c, *body, rec.name)) return *e;
  if (auto e = applyArchitectures(c, *body)) return *e;
  auto tags = tagsOf(*body, "Tags");
  if (!tags) return tags.error();
  rec.tags = std::move(*tags);
  if (c.runtime.empty()) return invalidParameter("Runtime is required for .zip deployment packages.");
  if (c.handler.empty() && runtimeKind(c.runtime) != RuntimeKind::Provided) return *checkHandler("");
  if (c.role.empty()) return validationError("null", "role", "Member must not be null");
  auto code = body->FindMember("Code");
  if (code == body->MemberEnd() || !code->value.IsObject()) return validationError("null", "code", "Member must not be null");
  auto stored = storeZipField(rec.name, code->value);
  if (!stored) return stored.error();
  c.code = *stored;
  c.lastModifiedMs = wallClockMs();
  c.revisionId = newUuid();
  auto publish = getBool(*body, "Publish");
  if (publish && *publish && **publish) {
    rec.lastVersion = 1;
    FunctionConfig v = c;
    v.version = "1";
    rec.versions[1] = v;
  }
  FunctionRecord& stored_rec = registry_->insert(std::move(rec));
  if (auto r = registry_->save(stored_rec); !r) return serviceError(r.error().message);
  const FunctionConfig& shown = stored_rec.versions.empty() ? stored_rec.latest : stored_rec.versions.rbegin()->second;
  return jsonResponse(201, functionConfigurationJson(options_.account, stored_rec.name, shown));
}

ApiResult<http::Response> LambdaService::getFunctionConfiguration(const std::string& name, const std::string& qualifier) {
  auto r = registry_->resolve(name, qualifier);
  if (!r) return r.error();
  return jsonResponse(200, functionConfigurationJson(options_.account, r->record->name, *r->config, r->qualifier));
}

ApiResult<http::Response> LambdaService::getFunction(const std::string& name, const std::string& qualifier) {
  auto r = registry_->resolve(name, qualifier);
  if (!r) return r.error();
  JsonWriter w;
  w.startObject();
  w.key("Configuration");
  writeFunctionConfiguration(w, options_.account, r->record->name, *r->config, r->qualifier);
  std::string hex = hexEncode(base64Decode(r->config->code.sha256).value_or(""));
  w.key("Code").startObject().key("RepositoryType").string("S3");
  // Code kept in a local directory has no package to download: the directory is the code.
  if (!r->config->code.localDirectory)
    w.key("Location").string(publicUrl() + versionsPrefix() + r->record->name + "/code-zip?sha256=" + hex);
  w.endObject();
  if (!r->record->tags.empty()) {  // AWS leaves Tags out for a function without any
    w.key("Tags").startObject();
    for (const auto& [k, v] : r->record->tags) w.key(k).string(v);
    w.endObject();
  }
  if (r->record->reservedConcurrency)
    w.key("Concurrency").startObject().key("ReservedConcurrentExecutions").integer(*r->record->reservedConcurrency).endObject();
  w.endObject();
  return jsonResponse(200, w.take());
}

ApiResult<http::Response> LambdaService::codeDownload(const std::string& name, const std::string& query) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  std::string want = queryParam(query, "sha256").value_or("");
  auto matches = [&](const FunctionConfig& c) {
    return !c.code.localDirectory && hexEncode(base64Decode(c.code.sha256).value_or("")) == want;
  };
  const FunctionConfig* found = matches((*rec)->latest) ? &(*rec)->latest : nullptr;
  for (const auto& [n, c] : (*rec)->versions)
    if (!found && matches(c)) found = &c;
  if (!found) return resourceNotFound("No code with that sha256 for function " + (*rec)->name);
  std::ifstream in(found->code.zipPath, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  http::Response r;
  r.headers.add("Content-Type", "application/zip");
  r.body = Buffer(ss.str());
  return r;
}

ApiResult<http::Response> LambdaService::listFunctions(const http::Request& req) {
  auto functionVersion = queryParam(req.query, "FunctionVersion");
  if (functionVersion && *functionVersion != "ALL")
    return validationError(*functionVersion, "functionVersion", "Member must satisfy enum value set: [ALL]");
  bool allVersions = functionVersion.has_value();
  // Entries in name order ($LATEST then versions). Listing every version, AWS shows $LATEST's
  // ARN with its qualifier, as ListVersionsByFunction does.
  std::vector<std::pair<std::string, const FunctionConfig*>> entries;
  for (FunctionRecord* rec : registry_->all()) {
    entries.emplace_back(rec->name, &rec->latest);
    if (allVersions)
      for (const auto& [n, c] : rec->versions) entries.emplace_back(rec->name, &c);
  }
  auto page = readListPage(req.query, entries.size(), 10000);
  if (!page) return page.error();
  JsonWriter w;
  w.startObject().key("Functions").startArray();
  for (size_t i = page->start; i < page->end; ++i)
    writeFunctionConfiguration(w, options_.account, entries[i].first, *entries[i].second, allVersions ? entries[i].second->version : "");
  w.endArray();
  writeNextMarker(w, *page);
  w.endObject();
  return jsonResponse(200, w.take());
}

ApiResult<http::Response> LambdaService::updateFunctionCode(const std::string& name, const http::Request& req) {
  auto in = requireFunctionAndBody(name, req);
  if (!in) return in.error();
  FunctionRecord* rec = in->function;
  const rapidjson::Document& body = in->body;
  if (!revisionMatches(body, rec->latest.revisionId)) return revisionMismatch();
  auto dryRun = getBool(body, "DryRun");
  FunctionConfig withArchitecture = rec->latest;
  if (auto e = applyArchitectures(withArchitecture, body)) return *e;
  auto stored = storeZipField(rec->name, body);
  if (!stored) return stored.error();
  if (dryRun && *dryRun && **dryRun) {
    FunctionConfig preview = withArchitecture;
    preview.code = *stored;
    return jsonResponse(200, functionConfigurationJson(options_.account, rec->name, preview));
  }
  FunctionConfig& c = rec->latest;
  c.architecture = withArchitecture.architecture;
  c.code = *stored;
  c.lastModifiedMs = wallClockMs();
  c.revisionId = newUuid();
  invoker_->functionChanged(rec->name);
  auto publish = getBool(body, "Publish");
  if (publish && *publish && **publish) {
    int n = ++rec->lastVersion;
    FunctionConfig v = c;
    v.version = std::to_string(n);
    rec->versions[n] = v;
  }
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  const FunctionConfig& shown = (publish && *publish && **publish) ? rec->versions.rbegin()->second : c;
  return jsonResponse(200, functionConfigurationJson(options_.account, rec->name, shown));
}

ApiResult<http::Response> LambdaService::updateFunctionConfiguration(const std::string& name, const http::Request& req) {
  auto in = requireFunctionAndBody(name, req);
  if (!in) return in.error();
  FunctionRecord* rec = in->function;
  const rapidjson::Document& body = in->body;
  if (!revisionMatches(body, rec->latest.revisionId)) return revisionMismatch();
  FunctionConfig updated = rec->latest;
  if (auto e = applyConfig(updated, body, rec->name)) return *e;
  updated.lastModifiedMs = wallClockMs();
  updated.revisionId = newUuid();
  rec->latest = std::move(updated);
  invoker_->functionChanged(rec->name);
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  return jsonResponse(200, functionConfigurationJson(options_.account, rec->name, rec->latest));
}

ApiResult<http::Response> LambdaService::deleteFunction(const std::string& name, const std::string& qualifier) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  auto ref = parseFunctionRef(name);
  std::string q = !qualifier.empty() ? qualifier : ref->qualifier;
  if (q == "$LATEST") return invalidParameter("$LATEST version cannot be deleted without deleting the function.");
  if (!q.empty()) {
    // Deletes one published version only.
    bool digits = std::all_of(q.begin(), q.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (!digits) return invalidParameter("Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.");
    int n = parseInteger<int>(q).value_or(-1);
    if (!(*rec)->versions.count(n)) return resourceNotFound(notFoundMessage(options_.account, (*rec)->name, q));
    for (const auto& [an, a] : (*rec)->aliases)
      if (a.functionVersion == q)
        return resourceConflict("Unable to delete version because the following aliases reference it: [" + an + "]");
    (*rec)->versions.erase(n);
    (*rec)->policies.erase(q);
    if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
    return jsonResponse(204, "");
  }
  std::string fn = (*rec)->name;
  invoker_->functionDeleted(fn);
  eventSources_->functionDeleted(fn);
  logs_->dropFunction(fn);
  metrics_.drop(fn);
  registry_->erase(fn);
  return jsonResponse(204, "");
}

ApiResult<http::Response> LambdaService::publishVersion(const std::string& name, const http::Request& req) {
  auto in = requireFunctionAndBody(name, req);
  if (!in) return in.error();
  FunctionRecord* rec = in->function;
  const rapidjson::Document& body = in->body;
  FunctionConfig& latest = rec->latest;
  auto sha = getString(body, "CodeSha256");
  if (sha && *sha && **sha != latest.code.sha256)
    return invalidParameter("CodeSHA256 (" + **sha + ") is different from current CodeSHA256 in $LATEST (" + latest.code.sha256 +
                            "). Please try again with the CodeSHA256 in $LATEST.");
  if (!revisionMatches(body, latest.revisionId)) return revisionMismatch();
  // Nothing changed since the last version: AWS returns that version instead of a new one.
  if (!rec->versions.empty()) {
    const FunctionConfig& last = rec->versions.rbegin()->second;
    if (last.revisionId == latest.revisionId)
      return jsonResponse(201, functionConfigurationJson(options_.account, rec->name, last));
  }
  int n = ++rec->lastVersion;
  FunctionConfig v = latest;
  v.version = std::to_string(n);
  auto description = getString(body, "Description");
  if (description && *description) v.description = **description;
  rec->versions[n] = v;
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  return jsonResponse(201, functionConfigurationJson(options_.account, rec->name, v));
}

ApiResult<http::Response> LambdaService::listVersions(const std::string& name, const http::Request& req) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  // $LATEST first, then the published versions in order; every ARN carries its version.
  std::vector<const FunctionConfig*> entries{&(*rec)->latest};
  for (const auto& [n, c] : (*rec)->versions) entries.push_back(&c);
  auto page = readListPage(req.query, entries.size(), 10000);
  if (!page) return page.error();
  JsonWriter w;
  w.startObject().key("Versions").startArray();
  for (size_t i = page->start; i < page->end; ++i)
    writeFunctionConfiguration(w, options_.account, (*rec)->name, *entries[i], entries[i]->version);
  w.endArray();
  writeNextMarker(w, *page);
  w.endObject();
  return jsonResponse(200, w.take());
}

// ---- aliases ----

static std::optional<ApiError> checkAliasTarget(const AccountInfo& account, const FunctionRecord& rec, const std::string& version) {
  if (version == "$LATEST") return std::nullopt;
  bool digits = !version.empty() && std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return validationError(version, "functionVersion", "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
  if (auto n = parseInteger<int>(version); !n || !rec.versions.count(*n))
    return resourceNotFound(notFoundMessage(account, rec.name, version));
  return std::nullopt;
}

ApiResult<http::Response> LambdaService::createAlias(const std::string& name, const http::Request& req) {
  auto in = requireFunctionAndBody(name, req);
  if (!in) return in.error();
  FunctionRecord* rec = in->function;
  const rapidjson::Document& body = in->body;
  auto aliasName = getString(body, "Name");
  auto version = getString(body, "FunctionVersion");
  auto description = getString(body, "Description");
  if (!aliasName || !version || !description) return invalidRequestContent("Name, FunctionVersion and Description must be strings");
  if (!*aliasName) return validationError("null", "name", "Member must not be null");
  if (!*version) return validationError("null", "functionVersion", "Member must not be null");
  if (!validAliasName(**aliasName))
    return validationError(**aliasName, "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
  if (body.HasMember("RoutingConfig") && !body["RoutingConfig"].IsNull())
    return invalidParameter("cdnlab lambda does not support weighted aliases (RoutingConfig).");
  if (auto e = checkAliasTarget(options_.account, *rec, **version)) return *e;
  if (rec->aliases.count(**aliasName))
    return resourceConflict("Alias already exists: " + qualifiedArn(options_.account, rec->name, **aliasName));
  Alias a{**aliasName, **version, description->value_or(""), newUuid()};
  rec->aliases[a.name] = a;
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  return jsonResponse(201, aliasJson(options_.account, rec->name, a));
}

ApiResult<http::Response> LambdaService::getAlias(const std::string& name, const std::string& alias) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  auto it = (*rec)->aliases.find(alias);
  if (it == (*rec)->aliases.end())
    return resourceNotFound("Cannot find alias arn: " + qualifiedArn(options_.account, (*rec)->name, alias));
  return jsonResponse(200, aliasJson(options_.account, (*rec)->name, it->second));
}

ApiResult<http::Response> LambdaService::updateAlias(const std::string& name, const std::string& alias, const http::Request& req) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  auto it = (*rec)->aliases.find(alias);
  if (it == (*rec)->aliases.end())
    return resourceNotFound("Cannot find alias arn: " + qualifiedArn(options_.account, (*rec)->name, alias));
  auto body = parseObject(req.body);
  if (!body) return badBody(body.error());
  auto version = getString(*body, "FunctionVersion");
  auto description = getString(*body, "Description");
  auto revision = getString(*body, "RevisionId");
  if (!version || !description || !revision) return invalidRequestContent("FunctionVersion, Description and RevisionId must be strings");
  if (*revision && **revision != it->second.revisionId)
    return revisionMismatch();
  if (body->HasMember("RoutingConfig") && !(*body)["RoutingConfig"].IsNull())
    return invalidParameter("cdnlab lambda does not support weighted aliases (RoutingConfig).");
  if (*version) {
    if (auto e = checkAliasTarget(options_.account, **rec, **version)) return *e;
    it->second.functionVersion = **version;
  }
  if (*description) it->second.description = **description;
  it->second.revisionId = newUuid();
  if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
  // Provisioned environments of the alias follow it to its new version.
  auto prov = (*rec)->provisioned.find(alias);
  if (prov != (*rec)->provisioned.end()) {
    auto target = registry_->resolve((*rec)->name, alias);
    if (target) invoker_->setProvisioned((*rec)->name, alias, target->version, prov->second);
  }
  return jsonResponse(200, aliasJson(options_.account, (*rec)->name, it->second));
}

ApiResult<http::Response> LambdaService::deleteAlias(const std::string& name, const std::string& alias) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  if ((*rec)->aliases.erase(alias)) {
    (*rec)->provisioned.erase(alias);
    (*rec)->eventInvokeConfigs.erase(alias);
    (*rec)->policies.erase(alias);
    invoker_->setProvisioned((*rec)->name, alias, "", 0);
    if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
  }
  return jsonResponse(204, "");
}

ApiResult<http::Response> LambdaService::listAliases(const std::string& name, const http::Request& req) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  // FunctionVersion: only the aliases that point at that version.
  auto version = queryParam(req.query, "FunctionVersion");
  if (version && !version->empty() && *version != "$LATEST" &&
      !std::all_of(version->begin(), version->end(), [](char c) { return c >= '0' && c <= '9'; }))
    return validationError(*version, "functionVersion", "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)");
  std::vector<const Alias*> entries;
  for (const auto& [n, a] : (*rec)->aliases)
    if (!version || version->empty() || a.functionVersion == *version) entries.push_back(&a);
  auto page = readListPage(req.query, entries.size(), 10000);
  if (!page) return page.error();
  JsonWriter w;
  w.startObject().key("Aliases").startArray();
  for (size_t i = page->start; i < page->end; ++i) w.raw(aliasJson(options_.account, (*rec)->name, *entries[i]));
  w.endArray();
  writeNextMarker(w, *page);
  w.endObject();
  return jsonResponse(200, w.take());
}

// ---- concurrency ----

ApiResult<http::Response> LambdaService::putConcurrency(const std::string& name, const http::Request& req) {
  auto in = requireFunctionAndBody(name, req);
  if (!in) return in.error();
  FunctionRecord* rec = in->function;
  const rapidjson::Document& body = in->body;
  auto n = getInt(body, "ReservedConcurrentExecutions");
  if (!n) return badBody(n.error());
  if (!*n) return validationError("null", "reservedConcurrentExecutions", "Member must not be null");
  if (**n < 0) return validationError(std::to_string(**n), "reservedConcurrentExecutions", "Member must have value greater than or equal to 0");
  // AWS keeps a minimum of unreserved concurrency for the functions without a reservation.
  int limit = invoker_->pools().accountLimit();
  int minimumUnreserved = std::min(100, limit / 10);
  int reservedElsewhere = 0;
  for (FunctionRecord* other : registry_->all())
    if (other != rec && other->reservedConcurrency) reservedElsewhere += *other->reservedConcurrency;
  if (reservedElsewhere + **n > limit - minimumUnreserved)
    return invalidParameter("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [" +
                            std::to_string(minimumUnreserved) + "].");
  rec->reservedConcurrency = static_cast<int>(**n);
  invoker_->setReserved(rec->name, rec->reservedConcurrency);
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  return jsonResponse(200, "{\"ReservedConcurrentExecutions\":" + std::to_string(**n) + "}");
}

ApiResult<http::Response> LambdaService::getConcurrency(const std::string& name) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  if (!(*rec)->reservedConcurrency) return jsonResponse(200, "{}");
  return jsonResponse(200, "{\"ReservedConcurrentExecutions\":" + std::to_string(*(*rec)->reservedConcurrency) + "}");
}

ApiResult<http::Response> LambdaService::deleteConcurrency(const std::string& name) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  (*rec)->reservedConcurrency.reset();
  invoker_->setReserved((*rec)->name, std::nullopt);
  if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
  return jsonResponse(204, "");
}

static std::string provisionedJson(const ProvisionedStatus& s, int64_t modifiedMs, std::string_view functionArn = {}) {
  JsonWriter w;
  w.startObject();
  if (!functionArn.empty()) w.key("FunctionArn").string(functionArn);
  w.key("RequestedProvisionedConcurrentExecutions").integer(s.requested);
  w.key("AvailableProvisionedConcurrentExecutions").integer(s.available);
  w.key("AllocatedProvisionedConcurrentExecutions").integer(s.available);
  w.key("Status").string(s.status);
  if (!s.reason.empty()) w.key("StatusReason").string(s.reason);
  w.key("LastModified").string(lastModifiedTimestamp(modifiedMs));
  w.endObject();
  return w.take();
}

ApiResult<http::Response> LambdaService::putProvisioned(const std::string& name, const std::string& qualifier, const http::Request& req) {
  if (qualifier.empty()) return validationError("null", "qualifier", "Member must not be null");
  auto target = registry_->resolve(name, qualifier);
  if (!target) return target.error();
  if (target->version == "$LATEST" || qualifier == "$LATEST")
    return invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
  auto body = parseObject(req.body);
  if (!body) return badBody(body.error());
  auto n = getInt(*body, "ProvisionedConcurrentExecutions");
  if (!n) return badBody(n.error());
  if (!*n) return validationError("null", "provisionedConcurrentExecutions", "Member must not be null");
  if (**n < 1) return validationError(std::to_string(**n), "provisionedConcurrentExecutions", "Member must have value greater than or equal to 1");
  FunctionRecord* rec = target->record;
  int limit = rec->reservedConcurrency ? *rec->reservedConcurrency : invoker_->pools().unreservedLimit();
  int otherProvisioned = 0;
  for (const auto& [q, k] : rec->provisioned)
    if (q != qualifier) otherProvisioned += k;
  if (otherProvisioned + **n > limit)
    return invalidParameter("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function (" +
                            std::to_string(limit) + ").");
  rec->provisioned[qualifier] = static_cast<int>(**n);
  rec->provisionedModifiedMs[qualifier] = wallClockMs();
  if (auto r = registry_->save(*rec); !r) return serviceError(r.error().message);
  invoker_->setProvisioned(rec->name, qualifier, target->version, static_cast<int>(**n));
  return jsonResponse(202, provisionedJson(invoker_->provisionedStatus(rec->name, qualifier), rec->provisionedModifiedMs[qualifier]));
}

ApiResult<http::Response> LambdaService::getProvisioned(const std::string& name, const std::string& qualifier) {
  if (qualifier.empty()) return validationError("null", "qualifier", "Member must not be null");
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  if (!(*rec)->provisioned.count(qualifier))
    return {ApiError{404, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function"}};
  int64_t modified = (*rec)->provisionedModifiedMs.count(qualifier) ? (*rec)->provisionedModifiedMs[qualifier] : wallClockMs();
  return jsonResponse(200, provisionedJson(invoker_->provisionedStatus((*rec)->name, qualifier), modified));
}

ApiResult<http::Response> LambdaService::listProvisioned(const std::string& name, const http::Request& req) {
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  std::vector<std::string> qualifiers;
  for (const auto& [q, n] : (*rec)->provisioned) qualifiers.push_back(q);
  auto page = readListPage(req.query, qualifiers.size(), 50);
  if (!page) return page.error();
  JsonWriter w;
  w.startObject().key("ProvisionedConcurrencyConfigs").startArray();
  for (size_t i = page->start; i < page->end; ++i) {
    const std::string& q = qualifiers[i];
    auto modified = (*rec)->provisionedModifiedMs.find(q);
    // The list's entries are the Get answer plus the FunctionArn (qualified) each describes.
    w.raw(provisionedJson(invoker_->provisionedStatus((*rec)->name, q),
                          modified == (*rec)->provisionedModifiedMs.end() ? wallClockMs() : modified->second,
                          qualifiedArn(options_.account, (*rec)->name, q)));
  }
  w.endArray();
  writeNextMarker(w, *page);
  w.endObject();
  return jsonResponse(200, w.take());
}

ApiResult<http::Response> LambdaService::deleteProvisioned(const std::string& name, const std::string& qualifier) {
  if (qualifier.empty()) return validationError("null", "qualifier", "Member must not be null");
  auto rec = requireFunction(name);
  if (!rec) return rec.error();
  if (!(*rec)->provisioned.erase(qualifier))
    return {ApiError{404, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function"}};
  invoker_->setProvisioned((*rec)->name, qualifier, "", 0);
  if (auto r = registry_->save(**rec); !r) return serviceError(r.error().message);
  return jsonResponse(204, "");
}

ApiResult<http::Response> LambdaService::accountSettings() {
  JsonWriter w;
  w.startObject().key("AccountLimit").startObject();
  w.key("TotalCodeSize").integer(80530636800).key("CodeSizeUnzipped").integer(262144000);
  w.key("CodeSizeZipped").integer(52428800).key("ConcurrentExecutions").integer(invoker_->pools().accountLimit());
  w.key("UnreservedConcurrentExecutions").integer(invoker_->pools().unreservedLimit());
  w.endObject().key("AccountUsage").startObject();
  int64_t codeSize = 0;
  for (FunctionRecord* rec : registry_->all()) codeSize += rec->latest.code.size;
  w.key("TotalCodeSize").integer(codeSize).key("FunctionCount").integer(static_cast<int64_t>(registry_->all().size()));
  w.endObject().endObject();
  return jsonResponse(200, w.take());
}

}  // namespace cdnlab::lambda
