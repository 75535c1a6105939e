// The request-shape check of AttributeValues, one type member (looked up by name) or several (walked
// in the union's order): the SerializationException AWS's framework answers for a member of the
// wrong JSON type, and what passes on to the operation's own checks.
#include "origin/store/validate/shape.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace cdnlab::store::validate {
namespace {

// The error message checkRequestShape gives GetItem with `key` as its Key map, or "" when it passes.
std::string checkKey(const std::string& key) {
  rapidjson::Document d;
  const std::string body = R"({"TableName":"Tbl","Key":)" + key + "}";
  d.Parse(body.c_str());
  EXPECT_FALSE(d.HasParseError()) << body;
  ApiError err;
  if (checkRequestShape("GetItem", d, err)) return "";
  return err.type + ": " + err.message;
}

TEST(RequestShape, OneTypeMemberIsCheckedByItsType) {
  EXPECT_EQ(checkKey(R"({"pk":{"S":"a"}})"), "");
  EXPECT_EQ(checkKey(R"({"pk":{"N":"1"},"sk":{"B":"AAE="}})"), "");
  EXPECT_EQ(checkKey(R"({"pk":{"NULL":null}})"), "");     // a null member is skipped
  EXPECT_EQ(checkKey(R"({"pk":{"Nope":5}})"), "");        // unknown members: the operation answers
  EXPECT_EQ(checkKey(R"({"pk":{}})"), "");
  EXPECT_NE(checkKey(R"({"pk":{"S":5}})").find("NUMBER_VALUE cannot be converted to String"), std::string::npos);
  EXPECT_NE(checkKey(R"({"pk":{"BOOL":"maybe"}})").find("Unexpected token received from parser"), std::string::npos);
  EXPECT_NE(checkKey(R"({"pk":{"L":"x"}})").find("Unexpected field type"), std::string::npos);
  EXPECT_NE(checkKey(R"({"pk":{"B":"abc"}})").find("Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
            std::string::npos);
  EXPECT_NE(checkKey(R"({"pk":{"M":{"x":{"SS":[1]}}}})").find("NUMBER_VALUE cannot be converted to String"), std::string::npos);
  EXPECT_NE(checkKey(R"({"pk":"plain"})").find("Unexpected value type in payload"), std::string::npos);
}

TEST(RequestShape, SeveralTypeMembersReportTheFirstInTheUnionsOrder) {
  // The union lists S before N and BOOL: S's error is the one reported, whatever the JSON order.
  EXPECT_NE(checkKey(R"({"pk":{"N":true,"S":5}})").find("NUMBER_VALUE cannot be converted to String"), std::string::npos);
  EXPECT_NE(checkKey(R"({"pk":{"BOOL":"maybe","N":1}})").find("NUMBER_VALUE cannot be converted to String"), std::string::npos);
  // Two well-typed members pass the shape (the operation then refuses more than one datatype).
  EXPECT_EQ(checkKey(R"({"pk":{"S":"a","N":"1"}})"), "");
}

}  // namespace
}  // namespace cdnlab::store::validate
