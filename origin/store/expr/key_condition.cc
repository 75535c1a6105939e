// KeyConditionExpression: parsed by the condition parser, then checked against the shape Query
// allows (partition key = value, optionally AND one sort key condition: = < <= > >= BETWEEN
// begins_with) and turned into a KeyCondition the engine scans as a key range.
#include "origin/store/expr/expr.h"

#include <algorithm>

namespace cdnlab::store::expr {
namespace {

Error keyError(std::string message) { return Error{kValidationError, std::move(message)}; }

std::string_view opText(ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::Eq: return "=";
    case ast::CompareOp::Ne: return "<>";
    case ast::CompareOp::Lt: return "<";
    case ast::CompareOp::Le: return "<=";
    case ast::CompareOp::Gt: return ">";
    case ast::CompareOp::Ge: return ">=";
  }
  return "=";
}

std::string_view functionName(ast::Function f) {
  switch (f) {
    case ast::Function::AttributeExists: return "attribute_exists";
    case ast::Function::AttributeNotExists: return "attribute_not_exists";
    case ast::Function::AttributeType: return "attribute_type";
    case ast::Function::BeginsWith: return "begins_with";
    case ast::Function::Contains: return "contains";
  }
  return "";
}

// One "key op value" piece of the expression.
struct KeyTerm {
  std::string name;
  KeyCondition::RangeOp op = KeyCondition::RangeOp::Eq;
  AttributeValue low, high;
};

Result<bool> flatten(const ast::Node& node, std::vector<const ast::Node*>& out) {
  switch (node.kind) {
    case ast::Node::Kind::And: {
      for (const auto& child : node.children) {
        if (auto r = flatten(*child, out); !r) return r;
      }
      return true;
    }
    case ast::Node::Kind::Or: return keyError("Invalid operator used in KeyConditionExpression: OR");
    case ast::Node::Kind::Not: return keyError("Invalid operator used in KeyConditionExpression: NOT");
    case ast::Node::Kind::In: return keyError("Invalid operator used in KeyConditionExpression: IN");
    case ast::Node::Kind::Compare:
      if (node.op == ast::CompareOp::Ne) return keyError("Invalid operator used in KeyConditionExpression: <>");
      break;
    case ast::Node::Kind::Function:
      if (node.function != ast::Function::BeginsWith) {
        return keyError("Invalid operator used in KeyConditionExpression: " + std::string(functionName(node.function)));
      }
      break;
    case ast::Node::Kind::Between: break;
  }
  out.push_back(&node);
  return true;
}

// The key attribute an operand names; errors for size() and nested paths.
Result<std::string> keyName(const ast::Operand& o) {
  if (o.kind == ast::Operand::Kind::Size) return keyError("Invalid operator used in KeyConditionExpression: size");
  if (o.path.elements.size() != 1) {
    return keyError("KeyConditionExpressions cannot have conditions on nested attributes");
  }
  return o.path.topLevel();
}

Result<KeyTerm> toTerm(const ast::Node& node) {
  KeyTerm term;
  const auto& ops = node.operands;
  auto isValue = [](const ast::Operand& o) { return o.kind == ast::Operand::Kind::Value; };
  if (node.kind == ast::Node::Kind::Compare) {
    bool leftValue = isValue(ops[0]), rightValue = isValue(ops[1]);
    if (!leftValue && !rightValue) {
      return keyError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    }
    if (leftValue && rightValue) return keyError("Invalid condition in KeyConditionExpression: No key attribute specified");
    ast::CompareOp op = node.op;
    const ast::Operand& attr = leftValue ? ops[1] : ops[0];
    const ast::Operand& value = leftValue ? ops[0] : ops[1];
    if (leftValue) {  // ":v < sk" is "sk > :v"
      if (op == ast::CompareOp::Lt) op = ast::CompareOp::Gt;
      else if (op == ast::CompareOp::Le) op = ast::CompareOp::Ge;
      else if (op == ast::CompareOp::Gt) op = ast::CompareOp::Lt;
      else if (op == ast::CompareOp::Ge) op = ast::CompareOp::Le;
    }
    auto name = keyName(attr);
    if (!name) return name.error();
    term.name = *name;
    switch (op) {
      case ast::CompareOp::Eq: term.op = KeyCondition::RangeOp::Eq; break;
      case ast::CompareOp::Lt: term.op = KeyCondition::RangeOp::Lt; break;
      case ast::CompareOp::Le: term.op = KeyCondition::RangeOp::Le; break;
      case ast::CompareOp::Gt: term.op = KeyCondition::RangeOp::Gt; break;
      case ast::CompareOp::Ge: term.op = KeyCondition::RangeOp::Ge; break;
      case ast::CompareOp::Ne: return keyError("Invalid operator used in KeyConditionExpression: " + std::string(opText(op)));
    }
    term.low = value.value;
    return term;
  }
  if (node.kind == ast::Node::Kind::Between) {
    if (isValue(ops[0])) return keyError("Invalid condition in KeyConditionExpression: No key attribute specified");
    if (!isValue(ops[1]) || !isValue(ops[2])) {
      return keyError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    }
    auto name = keyName(ops[0]);
    if (!name) return name.error();
    term.name = *name;
    term.op = KeyCondition::RangeOp::Between;
    term.low = ops[1].value;
    term.high = ops[2].value;
    return term;
  }
  // begins_with(sk, :prefix)
  if (isValue(ops[0])) return keyError("Invalid condition in KeyConditionExpression: No key attribute specified");
  if (!isValue(ops[1])) {
    return keyError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
  }
  auto name = keyName(ops[0]);
  if (!name) return name.error();
  term.name = *name;
  term.op = KeyCondition::RangeOp::BeginsWith;
  term.low = ops[1].value;
  return term;
}

}  // namespace

Result<KeyCondition> parseKeyCondition(std::string_view text, Placeholders& placeholders, const KeySchema& schema) {
  auto parsed = parseCondition(text, placeholders, ExpressionKind::KeyCondition);
  if (!parsed) return parsed.error();
  std::vector<const ast::Node*> conjuncts;
  if (auto r = flatten(*parsed->root, conjuncts); !r) return r.error();

  // One slot per key attribute: the partition attributes, then the sort attributes.
  std::vector<std::optional<KeyTerm>> hash(schema.hash.size()), range(schema.range.size());
  bool strayAttribute = false;  // a condition on an attribute that is not part of the key
  for (const ast::Node* node : conjuncts) {
    auto term = toTerm(*node);
    if (!term) return term.error();
    std::optional<KeyTerm>* slot = nullptr;
    for (size_t i = 0; i < hash.size() && !slot; ++i)
      if (term->name == schema.hash[i].name) slot = &hash[i];
    for (size_t i = 0; i < range.size() && !slot; ++i)
      if (term->name == schema.range[i].name) slot = &range[i];
    if (!slot) {
      strayAttribute = true;
      continue;
    }
    if (*slot) return keyError("KeyConditionExpressions must only contain one condition per key");
    *slot = std::move(*term);
  }
  // Checked after the terms, as DynamoDB does: a second condition on one key is reported as such.
  if (conjuncts.size() > std::max<size_t>(2, hash.size() + range.size()))
    return keyError("Conditions can be of length 1 or 2 only");
  // DynamoDB names the key element it expected: the first partition attribute without a condition,
  // else the first sort attribute without one (the last sort attribute when every one has one).
  auto firstMissing = [&]() -> const std::string& {
    for (size_t i = 0; i < hash.size(); ++i)
      if (!hash[i]) return schema.hash[i].name;
    for (size_t i = 0; i < range.size(); ++i)
      if (!range[i]) return schema.range[i].name;
    return range.empty() ? schema.hashName() : schema.range.back().name;
  };
  if (strayAttribute) return keyError("Query condition missed key schema element: " + firstMissing());
  auto typeMismatch = [] {
    return keyError("One or more parameter values were invalid: Condition parameter type does not match schema type");
  };
  for (size_t i = 0; i < hash.size(); ++i) {
    if (!hash[i]) return keyError("Query condition missed key schema element: " + schema.hash[i].name);
  }
  KeyCondition out;
  for (size_t i = 0; i < hash.size(); ++i) {
    if (hash[i]->op != KeyCondition::RangeOp::Eq) return keyError("Query key condition not supported");
    if (!hash[i]->low.is(schema.hash[i].type)) return typeMismatch();
    out.hashValues.push_back(std::move(hash[i]->low));
  }
  // Sort attributes are conditioned left to right: a prefix of them, equality on all but the last.
  size_t given = 0;
  while (given < range.size() && range[given]) ++given;
  for (size_t i = given; i < range.size(); ++i) {
    if (range[i]) return keyError("Query condition missed key schema element: " + schema.range[given].name);
  }
  for (size_t i = 0; i < given; ++i) {
    KeyTerm& term = *range[i];
    const ValueType type = schema.range[i].type;
    if (i + 1 < given && term.op != KeyCondition::RangeOp::Eq) return keyError("Query key condition not supported");
    if (!term.low.is(type)) return typeMismatch();
    if (term.op == KeyCondition::RangeOp::Between && !term.high.is(type)) return typeMismatch();
    if (term.op == KeyCondition::RangeOp::BeginsWith && type == ValueType::N) {
      return keyError("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
    }
    if (i + 1 < given) {
      out.rangeEquals.push_back(std::move(term.low));
      continue;
    }
    out.rangeOp = term.op;
    out.low = std::move(term.low);
    out.high = std::move(term.high);
  }
  return out;
}

bool KeyCondition::matchesRange(const AttributeValue& sortKey) const {
  auto cmp = [&](const AttributeValue& bound) { return compareScalars(sortKey, bound); };
  switch (rangeOp) {
    case RangeOp::None: return true;
    case RangeOp::Eq: return sortKey == low;
    case RangeOp::Lt: { auto c = cmp(low); return c && *c < 0; }
    case RangeOp::Le: { auto c = cmp(low); return c && *c <= 0; }
    case RangeOp::Gt: { auto c = cmp(low); return c && *c > 0; }
    case RangeOp::Ge: { auto c = cmp(low); return c && *c >= 0; }
    case RangeOp::Between: {
      auto a = cmp(low), b = cmp(high);
      return a && b && *a >= 0 && *b <= 0;
    }
    case RangeOp::BeginsWith:
      if (sortKey.is(ValueType::S) && low.is(ValueType::S)) return sortKey.s().starts_with(low.s());
      if (sortKey.is(ValueType::B) && low.is(ValueType::B)) return sortKey.b().starts_with(low.b());
      return false;
  }
  return false;
}

}  // namespace cdnlab::store::expr
