// 1xx interim responses through the request path: forwarded to the leading client, never cached.
#include "tests/edge/pop/pop_fixture.h"

namespace cdnlab::edge::pop {
namespace {

TEST_F(FsmTest, EarlyHintsAreForwardedAndNeverCached) {
  std::vector<std::string> hints;
  auto start = [&](std::shared_ptr<Reply> reply) {
    http::Request req;
    req.method = "GET";
    req.target = "/ei";
    req.path = "/ei";
    req.headers.add("Host", "127.0.0.1:8080");
    startTransaction(
        *core_, io_, std::move(req),
        [reply](Transaction& tx) {
          reply->done = true;
          reply->response = tx.response;
          reply->outcome = *tx.outcome;
        },
        [&hints](int status, const http::Headers& fields) {
          hints.push_back(std::to_string(status) + " " + fields.getAll("Link") + "|" + fields.getAll("Connection"));
        });
  };
  auto first = std::make_shared<Reply>();
  start(first);
  ASSERT_EQ(io_.pending.size(), 1u);
  ASSERT_TRUE(io_.pending.front().request.onInterim);
  http::Headers early;
  early.add("Link", "</style.css>; rel=preload");
  early.add("Connection", "close");
  io_.pending.front().request.onInterim(103, early);
  io_.answer(200, {{"Cache-Control", "max-age=60"}});
  ASSERT_TRUE(first->done);
  EXPECT_EQ(hints, (std::vector<std::string>{"103 </style.css>; rel=preload|"}));
  EXPECT_EQ(first->header("Link"), "") << "the hint is not part of the final response";
  auto hit = std::make_shared<Reply>();
  start(hit);
  EXPECT_EQ(hit->outcome, Outcome::Hit);
  EXPECT_EQ(hints.size(), 1u) << "interim responses are never stored or replayed";
}

}  // namespace
}  // namespace cdnlab::edge::pop
