// Key conditions out of a WHERE clause (partiql/plan.h).
#include "origin/store/partiql/plan.h"

#include <algorithm>

namespace cdnlab::store::partiql {
namespace {

using expr::ast::CompareOp;
using expr::ast::Node;
using expr::ast::Operand;
using RangeOp = expr::KeyCondition::RangeOp;

void flatten(const Node* n, std::vector<const Node*>& out) {
  if (n->kind == Node::Kind::And) {
    for (const auto& c : n->children) flatten(c.get(), out);
  } else {
    out.push_back(n);
  }
}

bool isAttr(const Operand& o, const std::string& name) {
  return !name.empty() && o.kind == Operand::Kind::Path && o.path.elements.size() == 1 && o.path.topLevel() == name;
}
bool isValueOf(const Operand& o, ValueType t) { return o.kind == Operand::Kind::Value && o.value.is(t); }

CompareOp flipped(CompareOp op) {
  switch (op) {
    case CompareOp::Lt: return CompareOp::Gt;
    case CompareOp::Le: return CompareOp::Ge;
    case CompareOp::Gt: return CompareOp::Lt;
    case CompareOp::Ge: return CompareOp::Le;
    default: return op;
  }
}

RangeOp rangeOf(CompareOp op) {
  switch (op) {
    case CompareOp::Eq: return RangeOp::Eq;
    case CompareOp::Lt: return RangeOp::Lt;
    case CompareOp::Le: return RangeOp::Le;
    case CompareOp::Gt: return RangeOp::Gt;
    case CompareOp::Ge: return RangeOp::Ge;
    default: return RangeOp::None;
  }
}

}  // namespace

KeyAccess analyzeKeys(const std::optional<expr::Condition>& where, const expr::KeySchema& schema) {
  KeyAccess k;
  if (!where) return k;
  std::vector<const Node*> terms;
  flatten(where->root.get(), terms);
  // A multi-attribute GSI key is read as a Scan of the index, every term a filter.
  const bool singleKey = schema.hash.size() == 1 && schema.range.size() <= 1;
  for (const Node* t : terms) {
    bool used = false;
    if (!singleKey) {
    } else if (t->kind == Node::Kind::Compare && t->operands.size() == 2) {
      const Operand* a = &t->operands[0];
      const Operand* b = &t->operands[1];
      CompareOp op = t->op;
      if (a->kind == Operand::Kind::Value) {
        std::swap(a, b);
        op = flipped(op);
      }
      if (op == CompareOp::Eq && !k.hash && isAttr(*a, schema.hashName()) && isValueOf(*b, schema.hashType())) {
        k.hash = b->value;
        used = true;
      } else if (rangeOf(op) != RangeOp::None && k.range.rangeOp == RangeOp::None && isAttr(*a, schema.rangeName()) &&
                 isValueOf(*b, schema.rangeType())) {
        k.range.rangeOp = rangeOf(op);
        k.range.low = b->value;
        used = true;
      }
    } else if (t->kind == Node::Kind::Between && t->operands.size() == 3 && k.range.rangeOp == RangeOp::None &&
               isAttr(t->operands[0], schema.rangeName()) && isValueOf(t->operands[1], schema.rangeType()) &&
               isValueOf(t->operands[2], schema.rangeType())) {
      k.range.rangeOp = RangeOp::Between;
      k.range.low = t->operands[1].value;
      k.range.high = t->operands[2].value;
      used = true;
    } else if (t->kind == Node::Kind::Function && t->function == expr::ast::Function::BeginsWith &&
               k.range.rangeOp == RangeOp::None && schema.rangeType() != ValueType::N &&
               isAttr(t->operands[0], schema.rangeName()) && isValueOf(t->operands[1], schema.rangeType())) {
      k.range.rangeOp = RangeOp::BeginsWith;
      k.range.low = t->operands[1].value;
      used = true;
    }
    if (singleKey && t->kind == Node::Kind::In && !t->operands.empty() && isAttr(t->operands[0], schema.hashName())) k.keyed = true;
    if (used) continue;
    // The term shares the statement's tree (aliasing shared_ptr): no copy of the nodes.
    expr::Condition c{std::shared_ptr<const Node>(where->root, t)};
    for (auto& n : c.topLevelNames())
      if (std::find(k.restNames.begin(), k.restNames.end(), n) == k.restNames.end()) k.restNames.push_back(n);
    k.rest.push_back(std::move(c));
  }
  if (k.hash) {
    k.keyed = true;
    k.range.hashValues = {*k.hash};
    k.key.emplace(schema.hashName(), *k.hash);
    if (schema.rangeName().empty()) {
      k.fullKey = true;
    } else if (k.range.rangeOp == RangeOp::Eq) {
      k.fullKey = true;
      k.key.emplace(schema.rangeName(), k.range.low);
    }
  }
  return k;
}

bool allHold(const std::vector<expr::Condition>& terms, const Item& item) {
  for (const auto& t : terms)
    if (!expr::evaluate(t, item)) return false;
  return true;
}

}  // namespace cdnlab::store::partiql
