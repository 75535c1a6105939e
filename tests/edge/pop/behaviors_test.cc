// The behaviors reader (edge/pop/behaviors.h): every field, the defaults, and errors that name
// file, line and field.
#include "edge/pop/behaviors.h"

#include <gtest/gtest.h>

namespace cdnlab::edge::pop {
namespace {

using Mode = NameSelection::Mode;

const char* kTwoBehaviors = R"(origins:
  api: http://127.0.0.1:4010/prod
  assets: http://127.0.0.1:9000
behaviors:
  - path_pattern: /api/*
    origin: api
    allowed_methods: all
    cache_policy:
      min_ttl: 1s
      default_ttl: 5s
      max_ttl: 60s
      query_strings: [id, page]
      headers: [Accept-Language]
      cookies: {all_except: [session]}
    origin_request:
      headers: all
      query_strings: all
    functions:
      viewer-request: builtin:normalize-query
  - path_pattern: static/*.css
    name: css
    origin: http://127.0.0.2:9001
  - origin: assets
)";

BehaviorsFile load(std::string_view text) {
  auto f = loadBehaviorsString(text, "b.yaml");
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : config::formatErrors(f.errors()));
  return f.ok() ? *f : BehaviorsFile{};
}

std::string errorsOf(std::string_view text) {
  auto f = loadBehaviorsString(text, "b.yaml");
  return f.ok() ? std::string("(no error)") : config::formatErrors(f.errors());
}

TEST(Behaviors, ReadsEveryField) {
  BehaviorsFile f = load(kTwoBehaviors);
  ASSERT_EQ(f.behaviors.size(), 3u);
  const Behavior& api = f.behaviors[0];
  EXPECT_EQ(api.name, "api");
  EXPECT_EQ(api.pathPattern, "/api/*");
  EXPECT_EQ(api.upstream.host, "127.0.0.1");
  EXPECT_EQ(api.upstream.port, 4010);
  EXPECT_EQ(api.upstream.basePath, "/prod");
  EXPECT_EQ(api.allowedMethods, AllowedMethods::All);
  EXPECT_EQ(api.cachePolicy.minTtl, std::chrono::seconds(1));
  EXPECT_EQ(api.cachePolicy.defaultTtl, std::chrono::seconds(5));
  EXPECT_EQ(api.cachePolicy.maxTtl, std::chrono::seconds(60));
  EXPECT_EQ(api.cachePolicy.queryStrings.mode, Mode::Whitelist);
  EXPECT_EQ(api.cachePolicy.queryStrings.names, (std::vector<std::string>{"id", "page"}));
  EXPECT_TRUE(api.cachePolicy.headers.selects("accept-language"));  // header names: any case
  EXPECT_EQ(api.cachePolicy.cookies.mode, Mode::AllExcept);
  EXPECT_FALSE(api.cachePolicy.cookies.selects("session"));
  EXPECT_TRUE(api.cachePolicy.cookies.selects("theme"));
  EXPECT_EQ(api.originRequest.headers.mode, Mode::All);
  EXPECT_EQ(api.originRequest.queryStrings.mode, Mode::All);
  EXPECT_EQ(api.originRequest.cookies.mode, Mode::None);
  ASSERT_EQ(api.functions.size(), 1u);
  EXPECT_EQ(api.functions[0].trigger, lambda::edge::Trigger::ViewerRequest);
  EXPECT_EQ(api.functions[0].function.name, "normalize-query");

  const Behavior& css = f.behaviors[1];
  EXPECT_EQ(css.name, "css");
  EXPECT_EQ(css.pathPattern, "/static/*.css");  // CloudFront: the leading '/' is optional
  EXPECT_EQ(css.upstream.port, 9001);
  EXPECT_EQ(css.allowedMethods, AllowedMethods::GetHead);

  const Behavior& def = f.behaviors[2];
  EXPECT_EQ(def.name, "default");
  EXPECT_EQ(def.pathPattern, "*");
  EXPECT_EQ(def.upstream.port, 9000);
  // CloudFront's defaults for a cache policy: 0 / 1 day / 1 year, nothing extra in the key.
  EXPECT_EQ(def.cachePolicy.minTtl, std::chrono::seconds(0));
  EXPECT_EQ(def.cachePolicy.defaultTtl, std::chrono::hours(24));
  EXPECT_EQ(def.cachePolicy.maxTtl, std::chrono::hours(24 * 365));
  EXPECT_TRUE(def.cachePolicy.queryStrings.selectsNothing());
  EXPECT_TRUE(def.cachePolicy.headers.selectsNothing());
}

TEST(Behaviors, FirstMatchWinsCaseSensitiveDefaultLast) {
  BehaviorsFile f = load(kTwoBehaviors);
  EXPECT_EQ(selectBehavior(f.behaviors, "/api/products/1"), 0u);
  EXPECT_EQ(selectBehavior(f.behaviors, "/API/products/1"), 2u);  // case-sensitive
  EXPECT_EQ(selectBehavior(f.behaviors, "/static/a/b.css"), 1u);
  EXPECT_EQ(selectBehavior(f.behaviors, "/static/a.cs"), 2u);
  EXPECT_EQ(selectBehavior(f.behaviors, "/"), 2u);
  EXPECT_EQ(selectBehavior(f.behaviors, ""), 2u);
}

TEST(Behaviors, DefaultMaxTtlLowersTheDefaultTtl) {
  BehaviorsFile f = load("behaviors:\n  - cache_policy: {max_ttl: 0s}\n");
  ASSERT_EQ(f.behaviors.size(), 1u);
  EXPECT_EQ(f.behaviors[0].cachePolicy.defaultTtl.count(), 0);
  EXPECT_TRUE(f.behaviors[0].cachePolicy.cachingDisabled());
  EXPECT_TRUE(f.behaviors[0].upstream.host.empty());  // no origin: the PoP's --upstream
}

TEST(Behaviors, MethodsSets) {
  EXPECT_TRUE(methodAllowed(AllowedMethods::GetHead, "HEAD"));
  EXPECT_FALSE(methodAllowed(AllowedMethods::GetHead, "OPTIONS"));
  EXPECT_TRUE(methodAllowed(AllowedMethods::GetHeadOptions, "OPTIONS"));
  EXPECT_FALSE(methodAllowed(AllowedMethods::GetHeadOptions, "POST"));
  EXPECT_TRUE(methodAllowed(AllowedMethods::All, "DELETE"));
}

TEST(Behaviors, ErrorsNameFileLineAndField) {
  EXPECT_EQ(errorsOf("behaviors:\n  - path_pattern: /a/*\n    cache_policy:\n      min_ttl: 10s\n      max_ttl: 5s\n  - {}\n"),
            "b.yaml:4:16: behaviors[0].cache_policy.min_ttl: must be <= max_ttl (5s)\n");
  EXPECT_EQ(errorsOf("behaviors:\n  - cache_policy: {min_ttl: 10s, default_ttl: 5s}\n"),
            "b.yaml:2:47: behaviors[0].cache_policy.default_ttl: must be between min_ttl and max_ttl (10s .. 365d)\n");
  EXPECT_NE(errorsOf("behaviors:\n  - path_pattern: /a/*\n").find("b.yaml:2:19: behaviors[0].path_pattern: the last behavior is the default"),
            std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - path_pattern: '*'\n  - {}\n").find("behaviors[0].path_pattern: \"*\" is the default"),
            std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {origin: nowhere}\n").find("b.yaml:2:14: behaviors[0].origin: unknown origin \"nowhere\""),
            std::string::npos);
  EXPECT_NE(errorsOf("origins: {a: 'https://x'}\nbehaviors:\n  - {}\n").find("b.yaml:1:14: origins.a: must be an http:// URL"),
            std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {path_pattern: /a/*}\n  - {path_pattern: a/*}\n  - {}\n").find("behaviors[1].path_pattern: \"/a/*\" repeats"),
            std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {path_pattern: '/a b'}\n  - {}\n").find("CloudFront's alphabet"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {allowed_methods: post}\n").find("behaviors[0].allowed_methods"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - cache_policy: {headers: all}\n").find("behaviors[0].cache_policy.headers"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - cache_policy: {headers: {all_except: [a]}}\n").find("expected none or a list"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - cache_policy: {headers: ['bad header']}\n").find("not a valid header field name"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - cache_policy: {query_strings: some}\n").find("behaviors[0].cache_policy.query_strings"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - functions: {viewer-reqest: builtin:x}\n").find("behaviors[0].functions.viewer-reqest: unknown trigger"),
            std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - functions: {viewer-request: 'builtin:x@/a/*'}\n").find("no @path pattern"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - functions: {viewer-request: 'ftp:x'}\n").find("unknown function kind"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {ttl: 5}\n").find("behaviors[0].ttl: unknown key"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors: []\n").find("at least one behavior"), std::string::npos);
  EXPECT_NE(errorsOf("origins: {}\n").find("behaviors: required"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {name: 'a b'}\n").find("behaviors[0].name"), std::string::npos);
  EXPECT_NE(errorsOf("behaviors:\n  - {path_pattern: /api/*, name: x}\n  - {name: x}\n").find("behaviors[1].name: \"x\" repeats"),
            std::string::npos);
}

TEST(Behaviors, ParseBehaviorsFromANodeKeepsLines) {
  YAML::Node doc = YAML::Load("pop:\n  behaviors:\n    - path_pattern: /api/*\n      origin: gateway\n    - {}\n");
  auto ok = parseBehaviors(doc["pop"]["behaviors"], "topo.yaml", {{"gateway", "http://127.0.0.1:4010"}});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].upstream.port, 4010);
  auto bad = parseBehaviors(doc["pop"]["behaviors"], "topo.yaml", {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("topo.yaml:4:15: behaviors[0].origin: unknown origin \"gateway\" (no origins are declared"),
            std::string::npos)
      << bad.error().message;
}

TEST(Behaviors, ReadFromAnEnclosingDocument) {
  // The topology loader reads behaviors inside its own document (errors go to its list).
  auto parsed = config::loadString("pops:\n  - id: e1\n    behaviors:\n      - {origin: catalog}\n", "t.yaml",
                                   [](config::Object& root) {
                                     std::vector<Behavior> out;
                                     for (auto& pop : root.objectList("pops")) {
                                       pop.string("id");
                                       out = readBehaviors(pop, {{"catalog", "http://127.0.0.1:9000"}});
                                     }
                                     return out;
                                   });
  ASSERT_TRUE(parsed.ok()) << config::formatErrors(parsed.errors());
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].upstream.port, 9000);
}

TEST(Behaviors, UpstreamUrls) {
  EXPECT_FALSE(parseUpstreamUrl("https://a:1").ok());
  EXPECT_FALSE(parseUpstreamUrl("http://:80").ok());
  EXPECT_FALSE(parseUpstreamUrl("http://a:1/x?y").ok());
  EXPECT_FALSE(parseUpstreamUrl("http://a:99999").ok());
  auto u = parseUpstreamUrl("http://localhost/base/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->basePath, "/base");
}

}  // namespace
}  // namespace cdnlab::edge::pop
