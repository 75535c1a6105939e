// Condition evaluation (ConditionExpression, FilterExpression) against one item.
// DynamoDB's rules: an operand that does not resolve makes its comparison false (except <>, which
// is true when the two sides are not equal, a missing side included); comparing values of different
// types is false; < <= > >= and BETWEEN order only S (bytes), N (numeric) and B (bytes).
#include <algorithm>

#include "origin/store/expr/document.h"
#include "origin/store/expr/expr.h"

namespace cdnlab::store::expr {

const AttributeValue* resolvePath(const Item& item, const Path& path) {
  auto top = item.find(path.elements.front().name);
  if (top == item.end()) return nullptr;
  const AttributeValue* v = &top->second;
  for (size_t i = 1; i < path.elements.size(); ++i) {
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

namespace {

// size(): string and binary length in bytes, set and list and map element counts; other types
// have no size (the comparison is then false).
std::optional<AttributeValue> sizeOf(const AttributeValue& v) {
  size_t n = 0;
  switch (v.type()) {
    case ValueType::S: n = v.s().size(); break;
    case ValueType::B: n = v.b().size(); break;
    case ValueType::SS: n = v.ss().size(); break;
    case ValueType::NS: n = v.ns().size(); break;
    case ValueType::BS: n = v.bs().size(); break;
    case ValueType::L: n = v.l().size(); break;
    case ValueType::M: n = v.m().size(); break;
    default: return std::nullopt;
  }
  return AttributeValue::number(Number::fromInt(static_cast<int64_t>(n)));
}

// The operand's value, or nullopt when it does not resolve. Returns a copy only for size().
struct Resolved {
  const AttributeValue* ptr = nullptr;
  std::optional<AttributeValue> owned;
  const AttributeValue* get() const { return owned ? &*owned : ptr; }
};

Resolved resolve(const ast::Operand& o, const Item& item) {
  Resolved r;
  switch (o.kind) {
    case ast::Operand::Kind::Value: r.ptr = &o.value; break;
    case ast::Operand::Kind::Path: r.ptr = resolvePath(item, o.path); break;
    case ast::Operand::Kind::Size:
      if (const AttributeValue* v = resolvePath(item, o.path)) r.owned = sizeOf(*v);
      break;
  }
  return r;
}

bool compare(ast::CompareOp op, const AttributeValue* a, const AttributeValue* b) {
  if (op == ast::CompareOp::Ne) return !(a && b && *a == *b);
  if (!a || !b) return false;
  if (op == ast::CompareOp::Eq) return *a == *b;
  auto c = compareScalars(*a, *b);
  if (!c) return false;
  switch (op) {
    case ast::CompareOp::Lt: return *c < 0;
    case ast::CompareOp::Le: return *c <= 0;
    case ast::CompareOp::Gt: return *c > 0;
    case ast::CompareOp::Ge: return *c >= 0;
    default: return false;
  }
}

bool contains(const AttributeValue& haystack, const AttributeValue& needle) {
  switch (haystack.type()) {
    case ValueType::S:
      return needle.is(ValueType::S) && haystack.s().find(needle.s()) != std::string::npos;
    case ValueType::B:
      return needle.is(ValueType::B) && haystack.b().find(needle.b()) != std::string::npos;
    case ValueType::SS:
      return needle.is(ValueType::S) && std::binary_search(haystack.ss().begin(), haystack.ss().end(), needle.s(),
                                                           [](const std::string& x, const std::string& y) { return compareBytes(x, y) < 0; });
    case ValueType::NS:
      return needle.is(ValueType::N) && std::binary_search(haystack.ns().begin(), haystack.ns().end(), needle.n());
    case ValueType::BS:
      return needle.is(ValueType::B) && std::binary_search(haystack.bs().begin(), haystack.bs().end(), needle.b(),
                                                           [](const std::string& x, const std::string& y) { return compareBytes(x, y) < 0; });
    case ValueType::L:
      return std::find(haystack.l().begin(), haystack.l().end(), needle) != haystack.l().end();
    default: return false;
  }
}

bool evaluateNode(const ast::Node& node, const Item& item) {
  switch (node.kind) {
    case ast::Node::Kind::And: return evaluateNode(*node.children[0], item) && evaluateNode(*node.children[1], item);
    case ast::Node::Kind::Or: return evaluateNode(*node.children[0], item) || evaluateNode(*node.children[1], item);
    case ast::Node::Kind::Not: return !evaluateNode(*node.children[0], item);
    case ast::Node::Kind::Compare: {
      Resolved a = resolve(node.operands[0], item);
      Resolved b = resolve(node.operands[1], item);
      return compare(node.op, a.get(), b.get());
    }
    case ast::Node::Kind::Between: {
      Resolved x = resolve(node.operands[0], item);
      Resolved low = resolve(node.operands[1], item);
      Resolved high = resolve(node.operands[2], item);
      return compare(ast::CompareOp::Ge, x.get(), low.get()) && compare(ast::CompareOp::Le, x.get(), high.get());
    }
    case ast::Node::Kind::In: {
      Resolved x = resolve(node.operands[0], item);
      if (!x.get()) return false;
      for (size_t i = 1; i < node.operands.size(); ++i) {
        Resolved candidate = resolve(node.operands[i], item);
        if (candidate.get() && *candidate.get() == *x.get()) return true;
      }
      return false;
    }
    case ast::Node::Kind::Function: {
      switch (node.function) {
        case ast::Function::AttributeExists: return resolvePath(item, node.operands[0].path) != nullptr;
        case ast::Function::AttributeNotExists: return resolvePath(item, node.operands[0].path) == nullptr;
        case ast::Function::AttributeType: {
          const AttributeValue* v = resolvePath(item, node.operands[0].path);
          Resolved t = resolve(node.operands[1], item);
          return v && t.get() && t.get()->is(ValueType::S) && typeName(v->type()) == t.get()->s();
        }
        case ast::Function::BeginsWith: {
          Resolved a = resolve(node.operands[0], item);
          Resolved b = resolve(node.operands[1], item);
          if (!a.get() || !b.get()) return false;
          if (a.get()->is(ValueType::S) && b.get()->is(ValueType::S)) return a.get()->s().starts_with(b.get()->s());
          if (a.get()->is(ValueType::B) && b.get()->is(ValueType::B)) return a.get()->b().starts_with(b.get()->b());
          return false;
        }
        case ast::Function::Contains: {
          Resolved a = resolve(node.operands[0], item);
          Resolved b = resolve(node.operands[1], item);
          return a.get() && b.get() && contains(*a.get(), *b.get());
        }
      }
      return false;
    }
  }
  return false;
}

void collectNames(const ast::Node& node, std::vector<std::string>& out) {
  for (const auto& child : node.children) collectNames(*child, out);
  for (const auto& o : node.operands) {
    if (o.kind != ast::Operand::Kind::Value && std::find(out.begin(), out.end(), o.path.topLevel()) == out.end()) {
      out.push_back(o.path.topLevel());
    }
  }
}

}  // namespace

bool evaluate(const Condition& condition, const Item& item) {
  return condition.root && evaluateNode(*condition.root, item);
}

std::vector<std::string> Condition::topLevelNames() const {
  std::vector<std::string> out;
  if (root) collectNames(*root, out);
  return out;
}

}  // namespace cdnlab::store::expr
