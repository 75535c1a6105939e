// CloudFront-style cache behaviors of a PoP: an ordered list of path patterns, each with the
// upstream it goes to, its cache policy (TTLs and what joins the cache key), its origin request
// policy (what else is forwarded), its allowed methods and its edge functions. The model, its
// YAML reader (file:line:field errors) and the pure decisions made from it (which behavior a path
// selects, which names a policy picks). No libuv: the request path (recv.cc, fetch.cc) uses these.
// The format is documented in docs/behaviors.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/reader.h"
#include "common/result.h"
#include "edge/pop/function_config.h"

namespace cdnlab::edge::pop {

using BehaviorDuration = std::chrono::nanoseconds;

// Which query strings, headers or cookies a policy picks (CloudFront's *Behavior + list pairs:
// QueryStringBehavior none | whitelist | allExcept | all, and the same for headers and cookies).
struct NameSelection {
  enum class Mode { None, Whitelist, AllExcept, All };
  Mode mode = Mode::None;
  std::vector<std::string> names;
  bool caseInsensitive = false;  // header names; query-string and cookie names are case-sensitive

  bool selects(std::string_view name) const;
  bool selectsNothing() const { return mode == Mode::None || (mode == Mode::Whitelist && names.empty()); }
};

// CloudFront's cache policy: TTL bounds applied to the origin's Cache-Control / Expires, and the
// values that join the cache key (and so are forwarded to the origin as well).
struct CachePolicy {
  BehaviorDuration minTtl{0};
  BehaviorDuration defaultTtl = std::chrono::hours(24);       // CloudFront's default DefaultTTL
  BehaviorDuration maxTtl = std::chrono::hours(24 * 365);     // CloudFront's default MaxTTL
  NameSelection queryStrings;  // none | whitelist | all_except | all
  NameSelection headers;       // none | whitelist (as CloudFront: no "all" in a cache key)
  NameSelection cookies;       // none | whitelist | all_except | all
  // CloudFront's CachingDisabled: every TTL 0 means nothing is cached under this behavior.
  bool cachingDisabled() const { return maxTtl.count() == 0; }
};

// CloudFront's origin request policy: values forwarded to the origin without joining the key.
// Headers: none | whitelist | all_except | all (CloudFront's allViewer).
struct OriginRequestPolicy {
  NameSelection queryStrings;
  NameSelection headers;
  NameSelection cookies;
};

// CloudFront's three AllowedMethods sets. A method outside the set is refused with 403.
enum class AllowedMethods { GetHead, GetHeadOptions, All };
std::string_view allowedMethodsName(AllowedMethods m);
bool methodAllowed(AllowedMethods allowed, std::string_view method);

// An http:// URL split for the upstream client.
struct UpstreamUrl {
  std::string url;       // as written
  std::string host;
  uint16_t port = 0;
  std::string basePath;  // prefixed to every forwarded path; no trailing '/'
};
Result<UpstreamUrl> parseUpstreamUrl(std::string_view url);

struct Behavior {
  std::string name;         // metrics label (behavior="api") and access-log field
  std::string pathPattern;  // CloudFront pattern, '/'-prefixed unless it is the default "*"
  std::string origin;       // the origin's name as written, or its URL; "" = the PoP's --upstream
  UpstreamUrl upstream;     // resolved; host empty = the PoP's --upstream
  AllowedMethods allowedMethods = AllowedMethods::GetHead;
  CachePolicy cachePolicy;
  OriginRequestPolicy originRequest;
  // At most one per trigger; their pathPattern is "*" (the behavior already selected the path).
  std::vector<EdgeFunctionAssociation> functions;
  int line = 0;             // where it was declared, for messages
};

// Named origins a behavior's `origin:` may refer to, in declaration order (name -> http URL).
using OriginTable = std::vector<std::pair<std::string, std::string>>;

// Reads `parent[key]`, a list of behaviors, into the document's error list (file:line:field):
// the last one must be the default (`path_pattern: "*"`, or none), no pattern may repeat, and
// `origin:` must name an entry of `origins` or be an http:// URL. For loaders that already
// hold a config::Object (the topology's PoP entries).
std::vector<Behavior> readBehaviors(config::Object& parent, const OriginTable& origins,
                                    std::string_view key = "behaviors");

// The same for a YAML sequence parsed elsewhere: errors come back as one message, a line each.
Result<std::vector<Behavior>> parseBehaviors(const YAML::Node& behaviors, const std::string& file,
                                             const OriginTable& origins = {});

// A behaviors file (`cdnlab pop --behaviors FILE`): `origins:` (name: URL) and `behaviors:`.
struct BehaviorsFile {
  OriginTable origins;
  std::vector<Behavior> behaviors;
};
config::Parsed<BehaviorsFile> loadBehaviorsFile(const std::string& path);
config::Parsed<BehaviorsFile> loadBehaviorsString(std::string_view text, std::string name);

// The index of the first behavior whose pattern matches `path` (the path without the query).
// `behaviors` must be a validated list (its last behavior is the default "*"), so some index
// always matches.
size_t selectBehavior(const std::vector<Behavior>& behaviors, std::string_view path);

}  // namespace cdnlab::edge::pop
