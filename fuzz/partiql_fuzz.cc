// libFuzzer target for the PartiQL parser and binder (origin/store/partiql): any statement text
// and any parameters must give a statement or an error, never a crash, a hang or a sanitizer
// report; a bound statement is then planned and evaluated against a fixed item.
// Built with -DCDNLAB_FUZZ=ON (clang); run with scripts/fuzz.sh partiql [seconds].
// The first input byte picks how many parameters the text gets (0-3); the rest is the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "origin/store/model/json.h"
#include "origin/store/partiql/bind.h"
#include "origin/store/partiql/parser.h"
#include "origin/store/partiql/plan.h"

using namespace cdnlab::store;

namespace {

const Item& item() {
  static const Item i = attributeMapFromJson(R"({
    "pk": {"S": "k"}, "sk": {"N": "1"}, "a": {"N": "1"}, "s": {"SS": ["a", "b"]},
    "l": {"L": [{"S": "x"}, {"M": {"c": {"N": "2"}}}]}, "m": {"M": {"a": {"BOOL": true}}}
  })").value();
  return i;
}

const std::vector<AttributeValue>& params() {
  static const std::vector<AttributeValue> p = {attributeValueFromJson(R"({"S": "k"})").value(),
                                                attributeValueFromJson(R"({"N": "2"})").value(),
                                                attributeValueFromJson(R"({"SS": ["a"]})").value()};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto s = partiql::parseStatement(text);
  if (!s) return 0;
  std::vector<AttributeValue> ps(params().begin(), params().begin() + (data[0] % 4));
  const partiql::Statement& st = s->kind == partiql::Statement::Kind::Exists ? *s->inner : *s;
  auto b = partiql::bindStatement(st, ps);
  if (!b) return 0;
  expr::KeySchema schema{{{"pk", ValueType::S}}, {{"sk", ValueType::N}}};
  auto keys = partiql::analyzeKeys(b->where, schema);
  (void)partiql::allHold(keys.rest, item());
  if (b->where) (void)expr::evaluate(*b->where, item());
  if (!b->update.actions.empty()) (void)expr::applyUpdate(b->update, item());
  return 0;
}
