// The x-amzn-RequestId the store's HTTP binding puts on every answer: 52 characters of A-Z and
// 0-9, as DynamoDB's, and a fresh one per answer.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "origin/store/http_binding.h"

namespace cdnlab::store {
namespace {

TEST(RequestId, FiftyTwoUppercaseLettersAndDigitsFreshEachTime) {
  std::set<std::string> seen;
  std::set<char> used;
  for (int i = 0; i < 2000; ++i) {
    std::string id = newRequestId();
    ASSERT_EQ(id.size(), 52u);
    for (char c : id) {
      ASSERT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << id;
      used.insert(c);
    }
    EXPECT_TRUE(seen.insert(id).second) << "repeated " << id;
  }
  EXPECT_EQ(used.size(), 36u);  // every character turns up across 104,000 draws
}

}  // namespace
}  // namespace cdnlab::store
