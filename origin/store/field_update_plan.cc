// Cached plans of UpdateItem's field updates (see field_update_plan.h for when they are sound).
#include "origin/store/field_update_plan.h"

#include <algorithm>

#include "origin/store/expr/lexer.h"

namespace cdnlab::store {
namespace {

bool isSetKeyword(std::string_view word) {
  return word.size() == 3 && (word[0] | 0x20) == 's' && (word[1] | 0x20) == 'e' && (word[2] | 0x20) == 't';
}

// The placeholder's value in the request's map (names or values), or nullptr; marks it used.
const std::string_view* lookup(const LeanJsonCursor::Pair* pairs, int count, bool* used, std::string_view placeholder) {
  for (int i = 0; i < count; ++i) {
    if (pairs[i].name == placeholder) {
      used[i] = true;
      return &pairs[i].value;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<FieldUpdatePlan> planFieldUpdate(std::string_view text) {
  using K = expr::Token::Kind;
  std::vector<expr::Token> tokens = expr::tokenize(text);
  if (tokens.empty() || tokens[0].kind != K::Ident || !isSetKeyword(tokens[0].text)) return std::nullopt;
  FieldUpdatePlan plan;
  size_t i = 1;
  while (true) {
    // p = :v, then a comma or the end
    if (i + 2 >= tokens.size()) return std::nullopt;
    const expr::Token& path = tokens[i];
    if ((path.kind != K::Ident && path.kind != K::NameRef) || tokens[i + 1].kind != K::Eq ||
        tokens[i + 2].kind != K::ValueRef)
      return std::nullopt;
    plan.sets.emplace_back(std::string(path.text), std::string(tokens[i + 2].text));
    i += 3;
    if (i >= tokens.size()) return std::nullopt;
    if (tokens[i].kind == K::End) break;
    if (tokens[i].kind != K::Comma) return std::nullopt;
    ++i;
  }
  return plan;
}

bool resolveFieldUpdate(const FieldUpdatePlan& plan, const UpdateItemRequestView& req, std::vector<AttributeValue>& values,
                        std::vector<TopLevelSet>& sets) {
  bool namesUsed[UpdateItemRequestView::kMaxPlaceholders] = {};
  bool valuesUsed[UpdateItemRequestView::kMaxPlaceholders] = {};
  values.clear();
  sets.clear();
  values.reserve(plan.sets.size());  // `sets` points into it: no reallocation below
  sets.reserve(plan.sets.size());
  for (const auto& [pathToken, valueToken] : plan.sets) {
    std::string_view name = pathToken;
    if (pathToken[0] == '#') {
      const std::string_view* resolved = lookup(req.names, req.nameCount, namesUsed, pathToken);
      if (!resolved) return false;
      name = *resolved;
    }
    const std::string_view* value = lookup(req.values, req.valueCount, valuesUsed, valueToken);
    if (!value) return false;
    values.push_back(AttributeValue::string(std::string(*value)));
    sets.push_back(TopLevelSet{name, &values.back()});
  }
  if (!std::all_of(namesUsed, namesUsed + req.nameCount, [](bool u) { return u; }) ||
      !std::all_of(valuesUsed, valuesUsed + req.valueCount, [](bool u) { return u; }))
    return false;
  std::sort(sets.begin(), sets.end(), [](const TopLevelSet& x, const TopLevelSet& y) { return x.name < y.name; });
  for (size_t k = 1; k < sets.size(); ++k)
    if (sets[k].name == sets[k - 1].name) return false;  // overlapping paths: the parser's error
  return true;
}

FieldUpdatePlans& FieldUpdatePlans::forThisThread() {
  thread_local FieldUpdatePlans plans;
  return plans;
}

const FieldUpdatePlan* FieldUpdatePlans::find(std::string_view text) const {
  auto it = plans_.find(text);
  return it == plans_.end() ? nullptr : &it->second;
}

void FieldUpdatePlans::insert(std::string_view text, FieldUpdatePlan plan) {
  if (plans_.size() >= kMaxPlans) plans_.clear();
  plans_.insert_or_assign(std::string(text), std::move(plan));
}

}  // namespace cdnlab::store
