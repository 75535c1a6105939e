// libFuzzer target for the expression parsers, the evaluators, numbers and DynamoDB JSON: any
// input must give a value or an error, never a crash, a hang or a sanitizer report.
// Built with -DCDNLAB_FUZZ=ON (clang); run with scripts/fuzz.sh expr [seconds].
// The first input byte picks the target; the rest is its text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "origin/store/expr/expr.h"
#include "origin/store/model/json.h"

using namespace cdnlab::store;

namespace {

const expr::NameMap& names() {
  static const expr::NameMap n = {{"#a", "a"}, {"#b", "b"}, {"#s", "status"}};
  return n;
}

const expr::ValueMap& values() {
  static const expr::ValueMap v = attributeMapFromJson(R"({
    ":s": {"S": "abc"}, ":n": {"N": "1"}, ":l": {"L": [{"N": "1"}]}, ":ss": {"SS": ["a"]},
    ":ns": {"NS": ["1"]}, ":m": {"M": {"a": {"N": "1"}}}, ":big": {"N": "9E+125"}, ":t": {"S": "N"}
  })").value();
  return v;
}

const Item& item() {
  static const Item i = attributeMapFromJson(R"({
    "a": {"N": "1"}, "b": {"L": [{"S": "x"}, {"M": {"c": {"N": "2"}}}]}, "m": {"M": {"a": {"SS": ["a", "b"]}}},
    "status": {"S": "abc"}, "ns": {"NS": ["1", "2"]}
  })").value();
  return i;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  expr::Placeholders ph(&names(), &values());
  switch (data[0] % 7) {
    case 0:
      if (auto c = expr::parseCondition(text, ph)) (void)expr::evaluate(*c, item());
      break;
    case 1:
      if (auto u = expr::parseUpdate(text, ph)) {
        if (auto out = expr::applyUpdate(*u, item())) (void)expr::projectPaths(out->updatedPaths, out->item);
      }
      break;
    case 2:
      if (auto p = expr::parseProjection(text, ph)) (void)expr::project(*p, item());
      break;
    case 3: {
      expr::KeySchema schema{{{"a", ValueType::N}}, {{"status", ValueType::S}}};
      if (auto k = expr::parseKeyCondition(text, ph, schema)) (void)k->matchesRange(item().at("status"));
      break;
    }
    case 4:
      if (auto n = Number::parse(text)) {
        (void)n->toString();
        (void)Number::add(*n, *n);
      }
      break;
    case 5:
      if (auto v = attributeValueFromJson(text)) (void)toJson(*v);
      break;
    case 6:
      if (auto m = attributeMapFromJson(text)) (void)toJson(*m);
      break;
  }
  (void)ph.checkUnused();
  return 0;
}
