// UpdateExpression evaluation. DynamoDB evaluates every right-hand side against the item as it was
// before the update, then applies the actions; the parser has already rejected overlapping paths,
// so actions never see each other's results except through list positions, which is why REMOVEs
// of list elements run last and from the highest index down (REMOVE l[1], l[2] removes the two
// elements that had those indexes).
#include <algorithm>

#include "origin/store/expr/document.h"
#include "origin/store/expr/expr.h"

namespace cdnlab::store::expr {
namespace {

Error updateError(const char* message) { return Error{kValidationError, message}; }

constexpr const char* kMissingOperand = "The provided expression refers to an attribute that does not exist in the item";
constexpr const char* kWrongType = "An operand in the update expression has an incorrect data type";
constexpr const char* kInvalidPath = "The document path provided in the update expression is invalid for update";

Result<AttributeValue> evalValue(const ast::UpdateValue& v, const Item& old) {
  switch (v.kind) {
    case ast::UpdateValue::Kind::Value: return v.value;
    case ast::UpdateValue::Kind::Path: {
      const AttributeValue* found = resolvePath(old, v.path);
      if (!found) return updateError(kMissingOperand);
      return *found;
    }
    case ast::UpdateValue::Kind::IfNotExists: {
      if (const AttributeValue* found = resolvePath(old, v.args[0].path)) return *found;
      return evalValue(v.args[1], old);
    }
    case ast::UpdateValue::Kind::ListAppend: {
      auto a = evalValue(v.args[0], old);
      if (!a) return a;
      auto b = evalValue(v.args[1], old);
      if (!b) return b;
      if (!a->is(ValueType::L) || !b->is(ValueType::L)) return updateError(kWrongType);
      AttributeList joined = a->l();
      joined.insert(joined.end(), b->l().begin(), b->l().end());
      return AttributeValue::list(std::move(joined));
    }
    case ast::UpdateValue::Kind::Plus:
    case ast::UpdateValue::Kind::Minus: {
      auto a = evalValue(v.args[0], old);
      if (!a) return a;
      auto b = evalValue(v.args[1], old);
      if (!b) return b;
      if (!a->is(ValueType::N) || !b->is(ValueType::N)) return updateError(kWrongType);
      auto n = v.kind == ast::UpdateValue::Kind::Plus ? Number::add(a->n(), b->n()) : Number::subtract(a->n(), b->n());
      if (!n) return n.error();
      return AttributeValue::number(std::move(*n));
    }
  }
  return updateError(kWrongType);
}

// The value at the first `count` elements of path, for writing; nullptr when missing.
AttributeValue* resolveMutable(Item& item, const Path& path, size_t count) {
  auto top = item.find(path.elements.front().name);
  if (top == item.end()) return nullptr;
  AttributeValue* v = &top->second;
  for (size_t i = 1; i < count; ++i) {
    const PathElement& e = path.elements[i];
    if (e.isIndex()) {
      if (!v->is(ValueType::L) || static_cast<size_t>(e.index) >= v->l().size()) return nullptr;
      v = &v->l()[static_cast<size_t>(e.index)];
    } else {
      if (!v->is(ValueType::M)) return nullptr;
      auto it = v->m().find(e.name);
      if (it == v->m().end()) return nullptr;
      v = &it->second;
    }
  }
  return v;
}

// SET semantics: the parent must exist and be a map (for a name) or a list (for an index); an
// index at or past the end appends.
Result<bool> setPath(Item& item, const Path& path, AttributeValue value) {
  if (path.elements.size() == 1) {
    item.insert_or_assign(path.elements[0].name, std::move(value));
    return true;
  }
  AttributeValue* parent = resolveMutable(item, path, path.elements.size() - 1);
  if (!parent) return updateError(kInvalidPath);
  const PathElement& last = path.elements.back();
  if (last.isIndex()) {
    if (!parent->is(ValueType::L)) return updateError(kInvalidPath);
    auto& list = parent->l();
    if (static_cast<size_t>(last.index) < list.size()) {
      list[static_cast<size_t>(last.index)] = std::move(value);
    } else {
      list.push_back(std::move(value));
    }
    return true;
  }
  if (!parent->is(ValueType::M)) return updateError(kInvalidPath);
  parent->m().insert_or_assign(last.name, std::move(value));
  return true;
}

// REMOVE semantics: a missing last element is not an error, but its parent must be there and be
// a list (for an index) or a map (for a name), as for SET: "REMOVE a.b" with no map `a` is
// DynamoDB's "document path ... invalid for update".
Result<bool> removePath(Item& item, const Path& path) {
  if (path.elements.size() == 1) {
    item.erase(path.elements[0].name);
    return true;
  }
  AttributeValue* parent = resolveMutable(item, path, path.elements.size() - 1);
  const PathElement& last = path.elements.back();
  if (!parent || !parent->is(last.isIndex() ? ValueType::L : ValueType::M)) return updateError(kInvalidPath);
  if (last.isIndex()) {
    if (static_cast<size_t>(last.index) < parent->l().size()) parent->l().erase(parent->l().begin() + last.index);
  } else {
    parent->m().erase(last.name);
  }
  return true;
}

template <typename T, typename Less>
std::vector<T> setUnion(const std::vector<T>& a, const std::vector<T>& b, Less less) {
  std::vector<T> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), less);
  return out;
}

template <typename T, typename Less>
std::vector<T> setDifference(const std::vector<T>& a, const std::vector<T>& b, Less less) {
  std::vector<T> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), less);
  return out;
}

bool bytesLess(const std::string& x, const std::string& y) { return compareBytes(x, y) < 0; }

Result<bool> applyAdd(Item& item, const ast::UpdateAction& action) {
  const AttributeValue& operand = action.operand;
  AttributeValue* current = resolveMutable(item, action.path, action.path.elements.size());
  if (!current) return setPath(item, action.path, operand);
  if (current->is(ValueType::N) && operand.is(ValueType::N)) {
    auto sum = Number::add(current->n(), operand.n());
    if (!sum) return sum.error();
    *current = AttributeValue::number(std::move(*sum));
    return true;
  }
  if (current->type() != operand.type()) return updateError(kWrongType);
  switch (operand.type()) {
    case ValueType::SS: *current = AttributeValue::stringSetOf(setUnion(current->ss(), operand.ss(), bytesLess)); return true;
    case ValueType::NS: *current = AttributeValue::numberSetOf(setUnion(current->ns(), operand.ns(), std::less<Number>())); return true;
    case ValueType::BS: *current = AttributeValue::binarySetOf(setUnion(current->bs(), operand.bs(), bytesLess)); return true;
    default: return updateError(kWrongType);
  }
}

Result<bool> applyDelete(Item& item, const ast::UpdateAction& action) {
  const AttributeValue& operand = action.operand;
  AttributeValue* current = resolveMutable(item, action.path, action.path.elements.size());
  if (!current) return true;
  if (current->type() != operand.type()) return updateError(kWrongType);
  bool empty = false;
  switch (operand.type()) {
    case ValueType::SS: {
      auto rest = setDifference(current->ss(), operand.ss(), bytesLess);
      empty = rest.empty();
      if (!empty) *current = AttributeValue::stringSetOf(std::move(rest));
      break;
    }
    case ValueType::NS: {
      auto rest = setDifference(current->ns(), operand.ns(), std::less<Number>());
      empty = rest.empty();
      if (!empty) *current = AttributeValue::numberSetOf(std::move(rest));
      break;
    }
    case ValueType::BS: {
      auto rest = setDifference(current->bs(), operand.bs(), bytesLess);
      empty = rest.empty();
      if (!empty) *current = AttributeValue::binarySetOf(std::move(rest));
      break;
    }
    default: return updateError(kWrongType);
  }
  // A set may not be empty: deleting its last members removes the attribute.
  if (empty) (void)removePath(item, action.path);  // the set was just found there
  return true;
}

// Orders REMOVE paths so that, under one list, higher indexes go first.
bool removeFirst(const Path& a, const Path& b) {
  size_t n = std::min(a.elements.size(), b.elements.size());
  for (size_t i = 0; i < n; ++i) {
    const PathElement& x = a.elements[i];
    const PathElement& y = b.elements[i];
    if (x.isIndex() && y.isIndex()) {
      if (x.index != y.index) return x.index > y.index;
    } else if (x.isIndex() != y.isIndex()) {
      return x.isIndex();
    } else if (x.name != y.name) {
      return x.name < y.name;
    }
  }
  return a.elements.size() > b.elements.size();
}

}  // namespace

std::vector<Path> Update::targetPaths() const {
  std::vector<Path> out;
  for (const auto& a : actions) out.push_back(a.path);
  return out;
}

Result<UpdateOutcome> applyUpdate(const Update& update, const Item& item) {
  // Right-hand sides first, all against the old item.
  std::vector<AttributeValue> setValues;
  for (const auto& action : update.actions) {
    if (action.kind != ast::UpdateAction::Kind::Set) continue;
    auto v = evalValue(action.value, item);
    if (!v) return v.error();
    setValues.push_back(std::move(*v));
  }
  UpdateOutcome out;
  out.item = item;
  size_t nextSet = 0;
  std::vector<Path> removals;
  // SETs past the end of a list append in index order, whatever their order in the expression
  // (SET l[9] = :a, l[5] = :b appends :b then :a), as DynamoDB applies them.
  std::vector<std::pair<const Path*, AttributeValue>> appends;
  for (const auto& action : update.actions) {
    out.updatedPaths.push_back(action.path);
    Result<bool> applied = true;
    switch (action.kind) {
      case ast::UpdateAction::Kind::Set: {
        const Path& p = action.path;
        if (p.elements.size() > 1 && p.elements.back().isIndex()) {
          const AttributeValue* parent = resolveMutable(out.item, p, p.elements.size() - 1);
          if (parent && parent->is(ValueType::L) && static_cast<size_t>(p.elements.back().index) >= parent->l().size()) {
            appends.emplace_back(&p, std::move(setValues[nextSet++]));
            break;
          }
        }
        applied = setPath(out.item, p, std::move(setValues[nextSet++]));
        break;
      }
      case ast::UpdateAction::Kind::Remove: removals.push_back(action.path); break;
      case ast::UpdateAction::Kind::Add: applied = applyAdd(out.item, action); break;
      case ast::UpdateAction::Kind::Delete: applied = applyDelete(out.item, action); break;
    }
    if (!applied) return applied.error();
  }
  std::stable_sort(appends.begin(), appends.end(),
                   [](const auto& a, const auto& b) { return a.first->elements.back().index < b.first->elements.back().index; });
  for (auto& [path, value] : appends)
    if (auto applied = setPath(out.item, *path, std::move(value)); !applied) return applied.error();
  std::sort(removals.begin(), removals.end(), removeFirst);
  for (const auto& path : removals)
    if (auto removed = removePath(out.item, path); !removed) return removed.error();
  return out;
}

}  // namespace cdnlab::store::expr
