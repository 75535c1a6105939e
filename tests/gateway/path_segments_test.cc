// splitPath: the segments both routers (HTTP API routes, REST API resources) match by.
#include "gateway/routing/path_segments.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace cdnlab::gateway {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out{"stale"};
  splitPath(path, out);
  return out;
}

using Segs = std::vector<std::string_view>;

TEST(PathSegments, SplitsAtSlashes) {
  EXPECT_EQ(segments("/a/b/c"), (Segs{"a", "b", "c"}));
  EXPECT_EQ(segments("/items/{id}"), (Segs{"items", "{id}"}));
  EXPECT_EQ(segments("/a//b"), (Segs{"a", "", "b"}));
}

TEST(PathSegments, RootIsNoSegmentAndATrailingSlashIsAnEmptyOne) {
  EXPECT_EQ(segments("/"), Segs{});
  EXPECT_EQ(segments(""), Segs{});
  EXPECT_EQ(segments("/items/"), (Segs{"items", ""}));
  EXPECT_EQ(segments("//"), (Segs{"", ""}));
}

}  // namespace
}  // namespace cdnlab::gateway
