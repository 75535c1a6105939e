// The registry (names, clashes, built-ins) and the plugin loader (the example .so, ABI check).
#include <gtest/gtest.h>

#include "lambda/native/loader.h"
#include "lambda/native/registry.h"

namespace cdnlab::lambda::native {
namespace {

int noop(const cdnlab_native_context*, const char*, size_t, void*) { return 0; }

NativeFunction make(std::string name) {
  NativeFunction fn;
  fn.name = std::move(name);
  fn.handler = &noop;
  return fn;
}

TEST(NativeRegistry, AddFindAndRefuseClashes) {
  Registry r;
  ASSERT_TRUE(r.add(make("a.b-c_1")).ok());
  EXPECT_TRUE(r.find("a.b-c_1"));
  EXPECT_FALSE(r.find("missing"));
  auto again = r.add(make("a.b-c_1"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, 409);
  EXPECT_FALSE(r.add(make("")).ok());
  EXPECT_FALSE(r.add(make("has space")).ok());
  EXPECT_FALSE(r.add(make(std::string(65, 'x'))).ok());
  NativeFunction noHandler = make("nohandler");
  noHandler.handler = nullptr;
  EXPECT_FALSE(r.add(noHandler).ok());
  EXPECT_EQ(r.names(), std::vector<std::string>{"a.b-c_1"});
}

TEST(NativeRegistry, GlobalHoldsTheBuiltins) {
  auto echo = Registry::global().find("echo");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->source, "builtin");
  EXPECT_GT(echo->initTime.count(), 0);  // the modelled cold start is small but non-zero
}

TEST(NativeLoader, LoadsTheExamplePlugin) {
  Registry r;
  auto loaded = loadPlugin(CDNLAB_HELLO_PLUGIN, r);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 3u);
  auto hello = r.find("hello-plugin");
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->source, CDNLAB_HELLO_PLUGIN);
  NativeOutput out;
  callNative(*hello, "{}", {}, out);
  EXPECT_EQ(out.status, NativeStatus::Ok);
  EXPECT_EQ(out.payload, R"({"message":"Hello from a plugin","bytes":2})");
  EXPECT_EQ(out.log, "hello-plugin: answered\n");
  // Loading it again into the same registry is all-or-nothing: the names clash.
  auto again = loadPlugin(CDNLAB_HELLO_PLUGIN, r);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already registered"), std::string::npos);
}

TEST(NativeLoader, RefusesAnotherAbiVersion) {
  Registry r;
  auto loaded = loadPlugin(CDNLAB_FUTURE_ABI_PLUGIN, r);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("ABI version 2"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find(CDNLAB_FUTURE_ABI_PLUGIN), std::string::npos);
  EXPECT_TRUE(r.names().empty());
}

TEST(NativeLoader, NamesAMissingFile) {
  Registry r;
  auto loaded = loadPlugin("/nonexistent/plugin.so", r);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("/nonexistent/plugin.so"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::lambda::native
