// The behaviors reader and the pure decisions on behaviors (behaviors.h). Load time only, except
// selectBehavior and NameSelection::selects, which the request path calls.
#include "edge/pop/behaviors.h"

#include <algorithm>
#include <set>

#include "common/config/units.h"
#include "common/http/message.h"

namespace cdnlab::edge::pop {

namespace {

using config::Object;
using Shape = config::Object::Shape;

// Bounds the per-request work of a policy (each name is looked up in each request).
constexpr size_t kMaxNames = 64;
constexpr size_t kMaxBehaviors = 256;      // CloudFront's default quota is 25 per distribution
constexpr size_t kMaxPatternLength = 255;  // CloudFront's limit

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  return true;
}

// CloudFront's path-pattern alphabet: A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + ? and &.
bool isPatternChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("_-.*$/~\"'@:+?&").find(c) != std::string_view::npos;
}

bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

enum class NameKind { QueryString, Header, Cookie };

bool validName(NameKind kind, std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  if (kind == NameKind::QueryString) {
    // Compared with the raw (normalised) parameter name: no separators, no spaces.
    return std::none_of(name.begin(), name.end(), [](char c) {
      return c == '&' || c == '=' || c == '#' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
  }
  return http::isToken(name);
}

// query_strings / headers / cookies: `none`, `all`, a list of names (whitelist) or
// `{all_except: [names]}`. `allowed` lists the modes this field accepts.
NameSelection readSelection(Object& o, std::string_view key, NameKind kind, const std::vector<NameSelection::Mode>& allowed) {
  NameSelection sel;
  sel.caseInsensitive = kind == NameKind::Header;
  auto permitted = [&](NameSelection::Mode m) { return std::find(allowed.begin(), allowed.end(), m) != allowed.end(); };
  auto readNames = [&](Object& from, std::string_view listKey) {
    std::vector<std::string> names = from.stringList(listKey);
    if (names.size() > kMaxNames) {
      from.fail(listKey, "at most " + std::to_string(kMaxNames) + " names (got " + std::to_string(names.size()) + ")");
      names.resize(kMaxNames);
    }
    for (const auto& n : names)
      if (!validName(kind, n)) from.fail(listKey, "\"" + n + "\" is not a valid " +
                                                     (kind == NameKind::Header ? "header field name" :
                                                      kind == NameKind::Cookie ? "cookie name" : "query-string name"));
    return names;
  };
  switch (o.shape(key)) {
    case Shape::Absent:
      break;
    case Shape::List:
      sel.mode = NameSelection::Mode::Whitelist;
      sel.names = readNames(o, key);
      break;
    case Shape::Scalar: {
      std::vector<std::string> words{"none"};
      if (permitted(NameSelection::Mode::All)) words.push_back("all");
      std::string w = o.choice(key, words, "none");
      sel.mode = w == "all" ? NameSelection::Mode::All : NameSelection::Mode::None;
      break;
    }
    case Shape::Mapping: {
      if (!permitted(NameSelection::Mode::AllExcept)) {
        o.fail(key, "expected none or a list of names");
        o.object(key).silence();
        break;
      }
      Object m = o.object(key);
      sel.mode = NameSelection::Mode::AllExcept;
      sel.names = readNames(m, "all_except");
      break;
    }
  }
  return sel;
}

const std::vector<NameSelection::Mode> kAllModes{NameSelection::Mode::None, NameSelection::Mode::Whitelist,
                                                 NameSelection::Mode::AllExcept, NameSelection::Mode::All};
const std::vector<NameSelection::Mode> kKeyHeaderModes{NameSelection::Mode::None, NameSelection::Mode::Whitelist};

CachePolicy readCachePolicy(Object& o) {
  CachePolicy p;
  const config::Range<BehaviorDuration> ttlRange = config::between<BehaviorDuration>(
      BehaviorDuration::zero(), std::chrono::duration_cast<BehaviorDuration>(std::chrono::hours(24 * 365 * 100)));
  p.minTtl = o.duration("min_ttl", p.minTtl, ttlRange);
  p.maxTtl = o.duration("max_ttl", p.maxTtl, ttlRange);
  // CloudFront: DefaultTTL defaults to 1 day, or MaxTTL when that is lower.
  p.defaultTtl = o.duration("default_ttl", std::min(p.defaultTtl, p.maxTtl), ttlRange);
  if (p.minTtl > p.maxTtl) o.fail("min_ttl", "must be <= max_ttl (" + config::formatDuration(p.maxTtl) + ")");
  else if (!o.has("default_ttl")) p.defaultTtl = std::max(p.defaultTtl, p.minTtl);
  else if (p.defaultTtl < p.minTtl || p.defaultTtl > p.maxTtl)
    o.fail("default_ttl", "must be between min_ttl and max_ttl (" + config::formatDuration(p.minTtl) + " .. " +
                              config::formatDuration(p.maxTtl) + ")");
  p.queryStrings = readSelection(o, "query_strings", NameKind::QueryString, kAllModes);
  p.headers = readSelection(o, "headers", NameKind::Header, kKeyHeaderModes);
  p.cookies = readSelection(o, "cookies", NameKind::Cookie, kAllModes);
  return p;
}

OriginRequestPolicy readOriginRequest(Object& o) {
  OriginRequestPolicy p;
  p.queryStrings = readSelection(o, "query_strings", NameKind::QueryString, kAllModes);
  p.headers = readSelection(o, "headers", NameKind::Header, kAllModes);
  p.cookies = readSelection(o, "cookies", NameKind::Cookie, kAllModes);
  return p;
}

AllowedMethods readAllowedMethods(Object& o) {
  std::string m = o.choice("allowed_methods", {"get_head", "get_head_options", "all"}, "get_head");
  if (m == "all") return AllowedMethods::All;
  if (m == "get_head_options") return AllowedMethods::GetHeadOptions;
  return AllowedMethods::GetHead;
}

// functions: {viewer-request: builtin:NAME, origin-response: lambda:NAME, ...}
std::vector<EdgeFunctionAssociation> readFunctions(Object& o) {
  std::vector<EdgeFunctionAssociation> out;
  auto f = o.optionalObject("functions");
  if (!f) return out;
  for (const std::string& trigger : f->keys()) {
    std::string spec = f->string(trigger);
    if (!lambda::edge::parseTrigger(trigger)) {
      f->fail(trigger, "unknown trigger (viewer-request, origin-request, origin-response, viewer-response)");
      continue;
    }
    if (spec.find('@') != std::string::npos) {
      f->fail(trigger, "no @path pattern here: the behavior's path_pattern selects the requests");
      continue;
    }
    auto assoc = parseEdgeFunctionFlag(trigger + "=" + spec);
    if (!assoc.ok()) {
      std::string why = assoc.error().message;
      // Keep the reason, drop the flag's syntax (the YAML form is "TRIGGER: KIND:NAME").
      size_t colon = why.find(": ");
      size_t paren = why.rfind(" (expected");
      if (colon != std::string::npos) why = why.substr(colon + 2, paren == std::string::npos ? std::string::npos : paren - colon - 2);
      f->fail(trigger, why + " (expected builtin:NAME, native:NAME or lambda:NAME)");
      continue;
    }
    out.push_back(std::move(assoc.value()));
  }
  return out;
}

std::string normalizePattern(std::string p) {
  // CloudFront: "images/*.jpg" and "/images/*.jpg" are the same pattern.
  if (p != "*" && !p.empty() && p.front() != '/') p.insert(p.begin(), '/');
  return p;
}

Behavior readBehavior(Object& o, const OriginTable& origins, bool isLast) {
  Behavior b;
  b.pathPattern = normalizePattern(o.string("path_pattern", isLast ? "*" : ""));
  if (!o.has("path_pattern") && !isLast) o.fail("path_pattern", "required (only the last behavior, the default, may omit it)");
  if (o.has("path_pattern")) {
    const std::string& p = b.pathPattern;
    if (p.empty() || p == "/") o.fail("path_pattern", "must not be empty");
    else if (p.size() > kMaxPatternLength) o.fail("path_pattern", "longer than 255 characters");
    else if (!std::all_of(p.begin(), p.end(), isPatternChar))
      o.fail("path_pattern", "may hold only A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + ? & (CloudFront's alphabet)");
    else if (isLast && p != "*")
      o.fail("path_pattern", "the last behavior is the default and must be \"*\" (got \"" + p + "\")");
    else if (!isLast && p == "*")
      o.fail("path_pattern", "\"*\" is the default behavior and must come last (behaviors after it could never match)");
  }
  b.name = o.string("name", b.pathPattern == "*" ? "default" : "");
  if (b.name.empty()) {
    // A label for metrics and logs from the pattern: "/api/*" -> "api".
    for (char c : b.pathPattern) {
      if (isNameChar(c)) b.name += c;
      else if (!b.name.empty() && b.name.back() != '_') b.name += '_';
    }
    while (!b.name.empty() && b.name.back() == '_') b.name.pop_back();
    if (b.name.empty()) b.name = "behavior";
  } else if (b.name.size() > 64 || !std::all_of(b.name.begin(), b.name.end(), isNameChar)) {
    o.fail("name", "1-64 characters of A-Z a-z 0-9 - _");
  }

  if (o.has("origin")) {
    b.origin = o.string("origin");
    std::string url;
    for (const auto& [name, u] : origins)
      if (name == b.origin) url = u;
    if (url.empty() && b.origin.starts_with("http://")) url = b.origin;
    if (url.empty()) {
      std::string known;
      for (const auto& entry : origins) known += (known.empty() ? "" : ", ") + entry.first;
      o.fail("origin", "unknown origin \"" + b.origin + "\" (" +
                           (known.empty() ? std::string("no origins are declared") : "known: " + known) +
                           "; or an http:// URL)");
    } else if (auto u = parseUpstreamUrl(url); !u.ok()) {
      o.fail("origin", u.error().message);
    } else {
      b.upstream = std::move(u.value());
    }
  }
  b.allowedMethods = readAllowedMethods(o);
  if (auto cp = o.optionalObject("cache_policy")) b.cachePolicy = readCachePolicy(*cp);
  if (auto orq = o.optionalObject("origin_request")) b.originRequest = readOriginRequest(*orq);
  b.functions = readFunctions(o);
  return b;
}

}  // namespace

bool NameSelection::selects(std::string_view name) const {
  auto listed = [&] {
    for (const auto& n : names)
      if (caseInsensitive ? equalsIgnoreCase(n, name) : n == name) return true;
    return false;
  };
  switch (mode) {
    case Mode::None: return false;
    case Mode::All: return true;
    case Mode::Whitelist: return listed();
    case Mode::AllExcept: return !listed();
  }
  return false;
}

std::string_view allowedMethodsName(AllowedMethods m) {
  switch (m) {
    case AllowedMethods::GetHead: return "get_head";
    case AllowedMethods::GetHeadOptions: return "get_head_options";
    case AllowedMethods::All: return "all";
  }
  return "get_head";
}

bool methodAllowed(AllowedMethods allowed, std::string_view method) {
  if (method == "GET" || method == "HEAD") return true;
  if (method == "OPTIONS") return allowed != AllowedMethods::GetHead;
  return allowed == AllowedMethods::All;
}

Result<UpstreamUrl> parseUpstreamUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  UpstreamUrl out;
  out.url = std::string(url);
  if (!url.starts_with(kScheme)) return Error{2, "must be an http:// URL (got \"" + out.url + "\")"};
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.basePath = std::string(rest.substr(slash));
  while (!out.basePath.empty() && out.basePath.back() == '/') out.basePath.pop_back();
  if (out.basePath.find_first_of("?#") != std::string::npos)
    return Error{2, "must not carry a query or fragment (got \"" + out.url + "\")"};
  if (authority.find(':') == std::string_view::npos) {
    out.host = std::string(authority);
    out.port = 80;
  } else {
    std::string why;
    auto hp = config::parseHostPort(authority, &why);
    if (!hp) return Error{2, out.url + ": " + why};
    out.host = hp->host;
    out.port = hp->port;
  }
  if (out.host.empty() || out.port == 0) return Error{2, "needs a host and a non-zero port (got \"" + out.url + "\")"};
  return out;
}

std::vector<Behavior> readBehaviors(Object& parent, const OriginTable& origins, std::string_view key) {
  std::vector<Behavior> out;
  if (!parent.has(key)) return out;
  std::vector<Object> items = parent.objectList(key);
  if (items.empty()) {
    if (parent.shape(key) == Shape::List) parent.fail(key, "at least one behavior (the default, path_pattern \"*\")");
    return out;
  }
  if (items.size() > kMaxBehaviors) {
    parent.fail(key, "at most " + std::to_string(kMaxBehaviors) + " behaviors");
    return out;
  }
  std::set<std::string> patterns, names;
  for (size_t i = 0; i < items.size(); ++i) {
    Behavior b = readBehavior(items[i], origins, i + 1 == items.size());
    if (!b.pathPattern.empty() && !patterns.insert(b.pathPattern).second)
      items[i].fail("path_pattern", "\"" + b.pathPattern + "\" repeats an earlier behavior's pattern");
    if (!names.insert(b.name).second)
      items[i].fail("name", "\"" + b.name + "\" repeats an earlier behavior's name (set name: to tell them apart)");
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<Behavior>> parseBehaviors(const YAML::Node& behaviors, const std::string& file,
                                             const OriginTable& origins) {
  YAML::Node wrapper(YAML::NodeType::Map);
  wrapper["behaviors"] = behaviors;
  auto doc = config::Document::fromNode(wrapper, file);
  if (!doc) return Error{2, config::formatErrors(doc.errors())};
  Object root = doc->root();
  std::vector<Behavior> out = readBehaviors(root, origins);
  if (!behaviors.IsDefined() || behaviors.IsNull())
    root.fail("behaviors", "at least one behavior (the default, path_pattern \"*\")");
  auto errors = doc->finish();
  if (!errors.empty()) return Error{2, config::formatErrors(errors)};
  return out;
}

namespace {
BehaviorsFile readBehaviorsFile(Object& root) {
  BehaviorsFile f;
  if (auto origins = root.optionalObject("origins")) {
    for (const std::string& name : origins->keys()) {
      std::string url = origins->string(name);
      if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), isNameChar))
        origins->fail(name, "origin names are 1-64 characters of A-Z a-z 0-9 - _");
      else if (auto u = parseUpstreamUrl(url); !u.ok())
        origins->fail(name, u.error().message);
      else
        f.origins.emplace_back(name, url);
    }
  }
  f.behaviors = readBehaviors(root, f.origins);
  if (!root.has("behaviors")) root.fail("behaviors", "required: the list of behaviors, the default (\"*\") last");
  return f;
}
}  // namespace

config::Parsed<BehaviorsFile> loadBehaviorsFile(const std::string& path) {
  return config::loadFile(path, readBehaviorsFile);
}

config::Parsed<BehaviorsFile> loadBehaviorsString(std::string_view text, std::string name) {
  return config::loadString(text, std::move(name), readBehaviorsFile);
}

size_t selectBehavior(const std::vector<Behavior>& behaviors, std::string_view path) {
  if (path.empty()) path = "/";
  for (size_t i = 0; i + 1 < behaviors.size(); ++i)
    if (pathPatternMatches(behaviors[i].pathPattern, path)) return i;
  return behaviors.empty() ? 0 : behaviors.size() - 1;
}

}  // namespace cdnlab::edge::pop
