// The sources of a PoP's edge-function associations (--edge-functions file, behaviors' functions)
// and their resolution into a FunctionSet: what a SIGHUP reload reads, and what it refuses.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "edge/pop/function_set.h"
#include "edge/pop/function_sources.h"
#include "lambda/native/registry.h"

namespace cdnlab::edge::pop {
namespace {

namespace le = lambda::edge;

std::string tempFile(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(EdgeFunctionsFile, ReadsAssociationsInOrderWithDefaults) {
  auto parsed = loadEdgeFunctionsString(
      "edge_functions:\n"
      "  - {trigger: viewer-request, function: builtin:normalize-query, path: /obj/*}\n"
      "  - {trigger: origin-response, function: lambda:add-headers}\n",
      "fns.yaml");
  ASSERT_TRUE(parsed.ok()) << config::formatErrors(parsed.errors());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].trigger, le::Trigger::ViewerRequest);
  EXPECT_EQ((*parsed)[0].function.name, "normalize-query");
  EXPECT_EQ((*parsed)[0].pathPattern, "/obj/*");
  EXPECT_EQ((*parsed)[1].function.kind, EdgeFunctionRef::Kind::Lambda);
  EXPECT_EQ((*parsed)[1].pathPattern, "*");
}

TEST(EdgeFunctionsFile, ErrorsNameFileLineAndField) {
  auto badTrigger = loadEdgeFunctionsString("edge_functions:\n  - trigger: viewer-requets\n    function: builtin:x\n", "f.yaml");
  ASSERT_FALSE(badTrigger.ok());
  EXPECT_NE(config::formatErrors(badTrigger.errors()).find("f.yaml:2:"), std::string::npos);
  EXPECT_NE(config::formatErrors(badTrigger.errors()).find("edge_functions[0].trigger"), std::string::npos);

  auto badKind = loadEdgeFunctionsString("edge_functions:\n  - {trigger: viewer-request, function: python:x}\n", "f.yaml");
  ASSERT_FALSE(badKind.ok());
  EXPECT_NE(config::formatErrors(badKind.errors()).find("edge_functions[0].function: unknown function kind 'python'"),
            std::string::npos)
      << config::formatErrors(badKind.errors());

  auto badPath = loadEdgeFunctionsString("edge_functions:\n  - {trigger: viewer-request, function: builtin:x, path: a@b}\n", "f.yaml");
  ASSERT_FALSE(badPath.ok());
  EXPECT_NE(config::formatErrors(badPath.errors()).find("edge_functions[0].path"), std::string::npos);

  auto unknownKey = loadEdgeFunctionsString("edge_functions: []\nfunctions: []\n", "f.yaml");
  EXPECT_FALSE(unknownKey.ok());
  EXPECT_FALSE(loadEdgeFunctionsString("edge_functions: {}\n", "f.yaml").ok());
  EXPECT_TRUE(loadEdgeFunctionsString("edge_functions: []\n", "f.yaml").ok());
  EXPECT_FALSE(loadEdgeFunctionsFile(::testing::TempDir() + "/no-such-file.yaml").ok());
}

TEST(AssociationSources, RereadTakesTheFilesAsTheyAreNow) {
  std::string path = tempFile("sources-fns.yaml", "edge_functions:\n  - {trigger: viewer-response, function: builtin:security-headers}\n");
  PopConfig config;
  config.edgeFunctions.push_back(parseEdgeFunctionFlag("viewer-request=builtin:normalize-query").value());
  config.edgeFunctionsFile = path;
  config.fileEdgeFunctions = loadEdgeFunctionsFile(path).value();

  tempFile("sources-fns.yaml", "edge_functions:\n  - {trigger: origin-request, function: builtin:spa-rewrite}\n");
  auto asStarted = associationSources(config, false);
  ASSERT_TRUE(asStarted.ok());
  ASSERT_EQ(asStarted->popWide.size(), 2u);
  EXPECT_EQ(asStarted->popWide[1].trigger, le::Trigger::ViewerResponse);
  auto now = associationSources(config, true);
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->popWide.size(), 2u);
  EXPECT_EQ(now->popWide[0].trigger, le::Trigger::ViewerRequest);  // the flag stays first
  EXPECT_EQ(now->popWide[1].trigger, le::Trigger::OriginRequest);

  tempFile("sources-fns.yaml", "edge_functions:\n  - {trigger: nope, function: builtin:spa-rewrite}\n");
  auto broken = associationSources(config, true);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find(path + ":2:"), std::string::npos) << broken.error().message;
}

TEST(AssociationSources, BehaviorsFileGivesOnlyFunctionsAndKeepsItsPatterns) {
  const std::string started =
      "behaviors:\n  - path_pattern: /a/*\n    origin: http://127.0.0.1:1\n    functions:\n"
      "      viewer-request: builtin:normalize-query\n  - origin: http://127.0.0.1:1\n";
  std::string path = tempFile("sources-behaviors.yaml", started);
  PopConfig config;
  config.behaviorsFile = path;
  config.behaviors = loadBehaviorsFile(path).value().behaviors;

  tempFile("sources-behaviors.yaml",
           "behaviors:\n  - path_pattern: /a/*\n    origin: http://127.0.0.1:1\n    functions:\n"
           "      viewer-response: builtin:security-headers\n  - origin: http://127.0.0.1:1\n");
  auto now = associationSources(config, true);
  ASSERT_TRUE(now.ok()) << now.error().message;
  ASSERT_EQ(now->byBehavior.size(), 2u);
  ASSERT_EQ(now->byBehavior[0].size(), 1u);
  EXPECT_EQ(now->byBehavior[0][0].trigger, le::Trigger::ViewerResponse);

  tempFile("sources-behaviors.yaml", "behaviors:\n  - path_pattern: /b/*\n    origin: http://127.0.0.1:1\n  - origin: http://127.0.0.1:1\n");
  auto moved = associationSources(config, true);
  ASSERT_FALSE(moved.ok());
  EXPECT_NE(moved.error().message.find(path + ": behaviors[0].path_pattern"), std::string::npos) << moved.error().message;

  tempFile("sources-behaviors.yaml", "behaviors:\n  - origin: http://127.0.0.1:1\n");
  EXPECT_FALSE(associationSources(config, true).ok());
}

// A name the file spells right but no native function has is found when the set is resolved (at
// start-up or at a reload: plugins load in between); the error still names the file and entry.
TEST(FunctionSources, AnUnknownNativeNameInTheFileNamesTheFileAndEntry) {
  std::string path = tempFile("sources-unknown.yaml",
                              "edge_functions:\n  - {trigger: viewer-request, function: builtin:spa-rewrite}\n"
                              "  - {trigger: viewer-response, function: builtin:nope}\n");
  auto file = loadEdgeFunctionsFile(path);
  ASSERT_TRUE(file.ok());
  auto set = FunctionSet::resolve(file.value(), {}, {}, false, "");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message.find(path + ": edge_functions[1].function: builtin:nope: no native function 'nope'"),
            std::string::npos)
      << set.error().message;
}

TEST(FunctionSet, ResolvesAndFindsByBehaviorThenPattern) {
  std::vector<EdgeFunctionAssociation> popWide = {
      parseEdgeFunctionFlag("viewer-request=builtin:normalize-query@/q/*").value(),
      parseEdgeFunctionFlag("viewer-request=builtin:spa-rewrite").value()};
  std::vector<std::vector<EdgeFunctionAssociation>> byBehavior(2);
  byBehavior[0].push_back(parseEdgeFunctionFlag("viewer-request=builtin:ab-bucket").value());
  auto set = FunctionSet::resolve(popWide, byBehavior, {"first", "default"}, false, "");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ((*set)->size(), 3u);
  EXPECT_EQ((*set)->find(le::Trigger::ViewerRequest, "/q/1")->association.function.name, "normalize-query");
  EXPECT_EQ((*set)->find(le::Trigger::ViewerRequest, "/x")->association.function.name, "spa-rewrite");
  EXPECT_EQ((*set)->find(le::Trigger::ViewerRequest, "/q/1", 0)->association.function.name, "ab-bucket");
  EXPECT_EQ((*set)->find(le::Trigger::ViewerRequest, "/q/1", 1)->association.function.name, "normalize-query");
  EXPECT_EQ((*set)->find(le::Trigger::ViewerResponse, "/q/1"), nullptr);

  auto unknown = FunctionSet::resolve({parseEdgeFunctionFlag("viewer-request=builtin:nope").value()}, {}, {}, false, "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no native function 'nope'"), std::string::npos);
  auto lambdaWithoutEndpoint = FunctionSet::resolve({}, {{parseEdgeFunctionFlag("viewer-request=lambda:f").value()}},
                                                    {"api"}, false, "");
  ASSERT_FALSE(lambdaWithoutEndpoint.ok());
  EXPECT_NE(lambdaWithoutEndpoint.error().message.find("behavior api: edge-function lambda:f: needs --lambda-endpoint"),
            std::string::npos)
      << lambdaWithoutEndpoint.error().message;
  auto lambdaOk = FunctionSet::resolve({parseEdgeFunctionFlag("viewer-request=lambda:f:live").value()}, {}, {}, true, "/base");
  ASSERT_TRUE(lambdaOk.ok());
  EXPECT_EQ((*lambdaOk)->find(le::Trigger::ViewerRequest, "/")->invokeTarget, "/base/2015-03-31/functions/f:live/invocations");
}

}  // namespace
}  // namespace cdnlab::edge::pop
