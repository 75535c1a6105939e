// A Service on an in-memory engine, driven through handleRequest with JSON bodies.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "origin/store/engine.h"
#include "origin/store/service.h"

namespace cdnlab::store {

struct Reply {
  int status = 0;
  std::string body;
  rapidjson::Document doc;
  std::string type() const {
    auto it = doc.FindMember("__type");
    if (it == doc.MemberEnd()) return "";
    std::string t = it->value.GetString();
    return t.substr(t.find('#') + 1);
  }
  // The error's message, under either spelling of the member (as the SDKs read it).
  std::string message() const {
    auto it = doc.FindMember("message");
    if (it == doc.MemberEnd()) it = doc.FindMember("Message");
    return it == doc.MemberEnd() ? "" : it->value.GetString();
  }
  const rapidjson::Value& operator[](const char* k) const { return doc[k]; }
  bool has(const char* k) const { return doc.HasMember(k); }
};

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void TearDown() override { close(); }

  void open() {
    EngineOptions eo;
    eo.inMemory = dir_.empty();
    eo.path = dir_;
    eo.sync = sync_;
    auto e = Engine::open(eo);
    ASSERT_TRUE(e.ok()) << e.error().message;
    engine_ = std::move(*e);
    ServiceOptions so;
    so.ttlSweepIntervalMs = 0;
    so.streamRetentionMs = streamRetentionMs_;
    so.enforceThroughput = enforceThroughput_;
    so.burstSeconds = burstSeconds_;
    service_ = std::make_unique<Service>(*engine_, so, clock_);
    ASSERT_TRUE(service_->start().ok());
  }
  void close() {
    service_.reset();
    if (engine_) engine_->close();
    engine_.reset();
  }

  Reply call(const std::string& op, const std::string& body) {
    ApiResponse r = service_->handleRequestBlocking("DynamoDB_20120810." + op, body);
    Reply out;
    out.status = r.status;
    out.body = r.body;
    if (r.body.empty()) {
      // Only a success of an operation without output members (TagResource, UntagResource)
      // has no body, as DynamoDB's; every error carries __type and a message.
      EXPECT_EQ(r.status, 200) << op;
      out.doc.SetObject();
      return out;
    }
    out.doc.Parse(r.body.c_str());
    EXPECT_FALSE(out.doc.HasParseError()) << r.body;
    return out;
  }
  Reply ok(const std::string& op, const std::string& body) {
    Reply r = call(op, body);
    EXPECT_EQ(r.status, 200) << op << " " << body << " -> " << r.body;
    return r;
  }

  void createHashRange(const std::string& name = "Tbl") {
    ok("CreateTable", R"({"TableName":")" + name + R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
  }

  static std::string json(const rapidjson::Value& v) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    v.Accept(w);
    return sb.GetString();
  }

  std::string dir_;  // empty: in memory
  int64_t streamRetentionMs_ = 24LL * 3600 * 1000;
  bool enforceThroughput_ = false;  // --enforce-throughput
  double burstSeconds_ = 300;
  SyncMode sync_ = SyncMode::Batch;
  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
};

}  // namespace cdnlab::store
