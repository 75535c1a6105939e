// Helpers for the expression tests: items and placeholder maps from DynamoDB JSON text.
#pragma once

#include <gtest/gtest.h>

#include "origin/store/expr/expr.h"
#include "origin/store/model/json.h"

namespace cdnlab::store::expr::testing {

inline AttributeMap mapFromJson(const char* text) {
  auto m = attributeMapFromJson(text);
  EXPECT_TRUE(m.ok()) << text << ": " << (m.ok() ? "" : m.error().message);
  return m.ok() ? *m : AttributeMap();
}

// The values every table below may use.
inline const ValueMap& commonValues() {
  static const ValueMap values = mapFromJson(R"({
    ":s": {"S": "abc"}, ":a": {"S": "a"}, ":z": {"S": "z"}, ":empty": {"S": ""},
    ":x": {"S": "x"}, ":active": {"S": "active"}, ":three": {"N": "3"},
    ":one": {"N": "1"}, ":two": {"N": "2"}, ":ten": {"N": "10"}, ":neg": {"N": "-5.5"},
    ":t": {"BOOL": true}, ":f": {"BOOL": false}, ":null": {"NULL": true},
    ":bin": {"B": "AAE="}, ":binprefix": {"B": "AA=="},
    ":ss": {"SS": ["x", "y"]}, ":ns": {"NS": ["1", "2"]}, ":bs": {"BS": ["AQ=="]},
    ":list": {"L": [{"S": "x"}, {"N": "1"}]}, ":map": {"M": {"k": {"S": "v"}}},
    ":typeS": {"S": "S"}, ":typeN": {"S": "N"}, ":typeM": {"S": "M"}, ":typeBad": {"S": "STRING"}
  })");
  return values;
}

inline const NameMap& commonNames() {
  static const NameMap names = {{"#s", "status"}, {"#n", "name"}, {"#a", "a"}, {"#dot", "a.b"}};
  return names;
}

}  // namespace cdnlab::store::expr::testing
