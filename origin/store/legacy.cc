// Legacy parameters -> expression ASTs (see legacy.h).
#include "origin/store/legacy.h"

#include <algorithm>
#include <string>
#include <vector>

#include "origin/store/model/attribute_name.h"
#include "origin/store/model/json.h"
#include "origin/store/request_util.h"

namespace cdnlab::store::legacy {
namespace {

using rapidjson::Value;
namespace ast = expr::ast;
using ast::Node;
using ast::Operand;

std::string str(const Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

const Value* field(const Value& o, const char* name) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(name);
  return it == o.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

bool has(const Value& o, const char* name) { return field(o, name) != nullptr; }

std::string firstType(const Value& av) {
  return av.IsObject() && av.MemberCount() ? str(av.MemberBegin()->name) : std::string();
}

bool invalid(ApiError& err, std::string m) {
  err = validation(std::move(m));
  return false;
}

bool parseValue(const Value& v, AttributeValue& out, ApiError& err) {
  auto r = parseAttributeValue(v);
  if (!r) return invalid(err, r.error().message);
  out = std::move(*r);
  return true;
}

Operand pathOperand(const std::string& name) {
  Operand o;
  o.kind = Operand::Kind::Path;
  o.path.elements.push_back(expr::PathElement{name, -1});
  return o;
}

Operand valueOperand(AttributeValue v) {
  Operand o;
  o.kind = Operand::Kind::Value;
  o.value = std::move(v);
  return o;
}

std::unique_ptr<Node> compareNode(ast::CompareOp op, const std::string& name, AttributeValue v) {
  auto n = std::make_unique<Node>();
  n->kind = Node::Kind::Compare;
  n->op = op;
  n->operands.push_back(pathOperand(name));
  n->operands.push_back(valueOperand(std::move(v)));
  return n;
}

std::unique_ptr<Node> functionNode(ast::Function f, const std::string& name, std::optional<AttributeValue> v) {
  auto n = std::make_unique<Node>();
  n->kind = Node::Kind::Function;
  n->function = f;
  n->operands.push_back(pathOperand(name));
  if (v) n->operands.push_back(valueOperand(std::move(*v)));
  return n;
}

std::unique_ptr<Node> notNode(std::unique_ptr<Node> c) {
  auto n = std::make_unique<Node>();
  n->kind = Node::Kind::Not;
  n->children.push_back(std::move(c));
  return n;
}

std::unique_ptr<Node> andNode(std::unique_ptr<Node> a, std::unique_ptr<Node> b) {
  auto n = std::make_unique<Node>();
  n->kind = Node::Kind::And;
  n->children.push_back(std::move(a));
  n->children.push_back(std::move(b));
  return n;
}

// One attribute's condition: `op` applied to the attribute `name` with `args`.
std::unique_ptr<Node> conditionNode(const std::string& op, const std::string& name, std::vector<AttributeValue> args) {
  auto first = [&] { return args.empty() ? AttributeValue() : args.front(); };
  if (op == "EQ") return compareNode(ast::CompareOp::Eq, name, first());
  if (op == "NE") return compareNode(ast::CompareOp::Ne, name, first());
  if (op == "LT") return compareNode(ast::CompareOp::Lt, name, first());
  if (op == "LE") return compareNode(ast::CompareOp::Le, name, first());
  if (op == "GT") return compareNode(ast::CompareOp::Gt, name, first());
  if (op == "GE") return compareNode(ast::CompareOp::Ge, name, first());
  if (op == "NOT_NULL") return functionNode(ast::Function::AttributeExists, name, std::nullopt);
  if (op == "NULL") return functionNode(ast::Function::AttributeNotExists, name, std::nullopt);
  if (op == "CONTAINS") return functionNode(ast::Function::Contains, name, first());
  // NOT_CONTAINS is false on a missing attribute, as DynamoDB evaluates it (unlike NOT contains()).
  if (op == "NOT_CONTAINS")
    return andNode(functionNode(ast::Function::AttributeExists, name, std::nullopt),
                   notNode(functionNode(ast::Function::Contains, name, first())));
  if (op == "BEGINS_WITH") return functionNode(ast::Function::BeginsWith, name, first());
  auto n = std::make_unique<Node>();
  n->kind = op == "IN" ? Node::Kind::In : Node::Kind::Between;
  n->operands.push_back(pathOperand(name));
  for (auto& a : args) n->operands.push_back(valueOperand(std::move(a)));
  return n;
}

// Joins per-attribute conditions with AND (default) or OR.
std::optional<expr::Condition> join(std::vector<std::unique_ptr<Node>> parts, bool useOr) {
  if (parts.empty()) return std::nullopt;
  std::unique_ptr<Node> root = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    auto n = std::make_unique<Node>();
    n->kind = useOr ? Node::Kind::Or : Node::Kind::And;
    n->children.push_back(std::move(root));
    n->children.push_back(std::move(parts[i]));
    root = std::move(n);
  }
  expr::Condition c;
  c.root = std::shared_ptr<const Node>(std::move(root));
  return c;
}

bool readConditionalOperator(const Value& d, bool& useOr, ApiError& err) {
  useOr = false;
  const Value* op = field(d, "ConditionalOperator");
  if (!op) return true;
  if (!op->IsString()) {
    err = coralError("SerializationException", "Unexpected field type");
    return false;
  }
  useOr = str(*op) == "OR";
  return true;
}

// The number of values each operator takes: exact, or at least one for IN.
bool argumentCountOk(const std::string& op, size_t n) {
  if (op == "NULL" || op == "NOT_NULL") return n == 0;
  if (op == "IN") return n >= 1;
  if (op == "BETWEEN") return n == 2;
  return n == 1;
}

bool betweenInverted(const std::vector<AttributeValue>& v) {
  if (v.size() != 2) return false;
  auto c = compareScalars(v[0], v[1]);
  return c && *c > 0;
}

// The operand types each ComparisonOperator takes (API reference, Condition and
// ExpectedAttributeValue): EQ and NE "all data types, including lists and maps"; BEGINS_WITH a
// String or Binary; the orderings, CONTAINS, NOT_CONTAINS, IN and BETWEEN a String, Number or
// Binary (not a set).
bool operandTypesOk(const std::string& op, const std::vector<AttributeValue>& args, ApiError& err) {
  if (op == "EQ" || op == "NE") return true;
  for (const auto& a : args) {
    ValueType t = a.type();
    bool ok = op == "BEGINS_WITH" ? (t == ValueType::S || t == ValueType::B)
                                  : (t == ValueType::S || t == ValueType::N || t == ValueType::B);
    if (!ok)
      return invalid(err, "One or more parameter values were invalid: ComparisonOperator " + op + " is not valid for " +
                              std::string(typeName(t)) + " AttributeValue type");
  }
  return true;
}

bool readValueList(const Value* list, std::vector<AttributeValue>& out, ApiError& err) {
  if (!list) return true;
  if (!list->IsArray()) {
    err = coralError("SerializationException", "Unexpected field type");
    return false;
  }
  for (const auto& v : list->GetArray()) {
    AttributeValue a;
    if (!parseValue(v, a, err)) return false;
    out.push_back(std::move(a));
  }
  return true;
}

bool sameTypes(const Value* list) {
  if (!list || !list->IsArray() || list->Size() == 0) return true;
  std::string t = firstType((*list)[0]);
  for (const auto& v : list->GetArray())
    if (firstType(v) != t) return false;
  return true;
}

}  // namespace

bool checkExpressionParams(const Value& d, std::initializer_list<const char*> expressions,
                           std::initializer_list<const char*> nonExpressions, ApiError& err) {
  // The parameter names are the callers' literals: kept as pointers, no string copies per request.
  std::vector<const char*> exprParams, nonExprParams;
  for (const char* e : expressions)
    if (has(d, e)) exprParams.push_back(e);
  if (!exprParams.empty()) {
    // KeyConditions may go with FilterExpression/ProjectionExpression when KeyConditionExpression is absent.
    bool keyConditionsAlone = has(d, "KeyConditions") && !has(d, "KeyConditionExpression");
    for (const char* n : nonExpressions) {
      if (keyConditionsAlone && std::string_view(n) == "KeyConditions") continue;
      if (has(d, n)) nonExprParams.push_back(n);
    }
    if (!nonExprParams.empty()) {
      auto list = [](const std::vector<const char*>& v) {
        std::string s;
        for (size_t i = 0; i < v.size(); ++i) {
          if (i) s += ", ";
          s += v[i];
        }
        return s;
      };
      return invalid(err, "Can not use both expression and non-expression parameters in the same request: "
                          "Non-expression parameters: {" + list(nonExprParams) + "} Expression parameters: {" +
                          list(exprParams) + "}");
    }
  }
  if (has(d, "ExpressionAttributeNames") && exprParams.empty())
    return invalid(err, "ExpressionAttributeNames can only be specified when using expressions");
  std::vector<const char*> valueExprs;
  for (const char* e : expressions)
    if (std::string_view(e) != "ProjectionExpression") valueExprs.push_back(e);
  if (!valueExprs.empty() && has(d, "ExpressionAttributeValues")) {
    bool none = true;
    for (const char* e : valueExprs)
      if (has(d, e)) none = false;
    if (none) {
      std::string names;
      for (size_t i = 0; i < valueExprs.size(); ++i) {
        if (i) names += " and ";
        names += valueExprs[i];
      }
      return invalid(err, "ExpressionAttributeValues can only be specified when using expressions: " + names + " " +
                              (valueExprs.size() > 1 ? "are" : "is") + " null");
    }
  }
  return true;
}

bool readExpected(const Value& d, std::optional<expr::Condition>& out, ApiError& err) {
  const Value* expected = field(d, "Expected");
  if (!expected) return true;
  if (!expected->IsObject()) {
    err = coralError("SerializationException", "Unexpected field type");
    return false;
  }
  const std::string pre = "One or more parameter values were invalid: ";
  std::vector<std::unique_ptr<Node>> parts;
  for (const auto& m : expected->GetObject()) {
    std::string name = str(m.name);
    const Value& c = m.value;
    const Value* list = field(c, "AttributeValueList");
    const Value* value = field(c, "Value");
    const Value* opv = field(c, "ComparisonOperator");
    const Value* exists = field(c, "Exists");
    if (list && value) return invalid(err, pre + "Value and AttributeValueList cannot be used together for Attribute: " + name);
    if (opv) {
      std::string op = str(*opv);
      if (exists) return invalid(err, pre + "Exists and ComparisonOperator cannot be used together for Attribute: " + name);
      if (op != "NULL" && op != "NOT_NULL" && !list && !value)
        return invalid(err, pre + "Value or AttributeValueList must be used with ComparisonOperator: " + op +
                                " for Attribute: " + name);
      std::vector<AttributeValue> args;
      if (!readValueList(list, args, err)) return false;
      if (value) {
        AttributeValue a;
        if (!parseValue(*value, a, err)) return false;
        args.push_back(std::move(a));
      }
      if (!argumentCountOk(op, args.size()))
        return invalid(err, pre + "Invalid number of argument(s) for the " + op + " ComparisonOperator");
      if (!sameTypes(list)) return invalid(err, pre + "AttributeValues inside AttributeValueList must be of same type");
      if (!operandTypesOk(op, args, err)) return false;
      if (op == "BETWEEN" && betweenInverted(args))
        return invalid(err, "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
      parts.push_back(conditionNode(op, name, std::move(args)));
    } else if (list) {
      return invalid(err, pre + "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name);
    } else {
      bool existsFlag = !exists || (exists->IsBool() ? exists->GetBool() : true);
      if (existsFlag && !value)
        return invalid(err, pre + "Value must be provided when Exists is " +
                                (exists ? std::string(existsFlag ? "true" : "false") : std::string("null")) +
                                " for Attribute: " + name);
      if (!existsFlag && value) return invalid(err, pre + "Value cannot be used when Exists is false for Attribute: " + name);
      if (value) {
        AttributeValue a;
        if (!parseValue(*value, a, err)) return false;
        parts.push_back(compareNode(ast::CompareOp::Eq, name, std::move(a)));
      } else {
        parts.push_back(functionNode(ast::Function::AttributeNotExists, name, std::nullopt));
      }
    }
  }
  bool useOr;
  if (!readConditionalOperator(d, useOr, err)) return false;
  if (parts.empty() && field(d, "ConditionalOperator"))
    return invalid(err, "ConditionalOperator can only be used when Filter or Expected has two or more elements");
  out = join(std::move(parts), useOr);
  return true;
}

bool validateConditions(const Value* conditions, ApiError& err) {
  if (!conditions || !conditions->IsObject()) return true;
  const std::string pre = "One or more parameter values were invalid: ";
  for (const auto& m : conditions->GetObject()) {
    if (!m.value.IsObject()) return invalid(err, "Unexpected value type in payload");
    const Value* opv = field(m.value, "ComparisonOperator");
    std::string op = opv && opv->IsString() ? str(*opv) : "";
    const Value* list = field(m.value, "AttributeValueList");
    std::vector<AttributeValue> args;
    if (!readValueList(list, args, err)) return false;
    if (!argumentCountOk(op, args.size()))
      return invalid(err, pre + "Invalid number of argument(s) for the " + op + " ComparisonOperator");
    if (!sameTypes(list)) return invalid(err, pre + "AttributeValues inside AttributeValueList must be of same type");
    if (!operandTypesOk(op, args, err)) return false;
    if (op == "BETWEEN" && betweenInverted(args))
      return invalid(err, "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  }
  return true;
}

bool readConditionsFilter(const Value& d, const char* member, std::optional<expr::Condition>& out, ApiError& err) {
  const Value* conditions = field(d, member);
  if (!conditions) return true;
  if (!validateConditions(conditions, err)) return false;
  std::vector<std::unique_ptr<Node>> parts;
  for (const auto& m : conditions->GetObject()) {
    std::vector<AttributeValue> args;
    if (!readValueList(field(m.value, "AttributeValueList"), args, err)) return false;
    const Value* op = field(m.value, "ComparisonOperator");
    parts.push_back(conditionNode(op && op->IsString() ? str(*op) : "EQ", str(m.name), std::move(args)));
  }
  bool useOr;
  if (!readConditionalOperator(d, useOr, err)) return false;
  out = join(std::move(parts), useOr);
  return true;
}

bool readAttributeUpdates(const Value& d, std::optional<expr::Update>& out, ApiError& err) {
  const Value* updates = field(d, "AttributeUpdates");
  if (!updates) return true;
  const std::string pre = "One or more parameter values were invalid: ";
  expr::Update u;
  if (!updates->IsObject()) {
    err = coralError("SerializationException", "Unexpected field type");
    return false;
  }
  for (const auto& m : updates->GetObject()) {
    if (m.name.GetStringLength() > kMaxAttributeNameBytes) return invalid(err, kAttributeNameTooLarge);
    std::string name = str(m.name);
    const Value* actionv = field(m.value, "Action");
    std::string action = actionv && actionv->IsString() ? str(*actionv) : "PUT";
    // AttributeValueUpdate.Action is the enum AttributeAction (API reference).
    if (action != "PUT" && action != "ADD" && action != "DELETE") {
      err = constraintError(action, "attributeUpdates." + name + ".member.action",
                            "Member must satisfy enum value set: [ADD, PUT, DELETE]");
      return false;
    }
    const Value* value = field(m.value, "Value");
    std::optional<AttributeValue> v;
    if (value) {
      AttributeValue a;
      if (!parseValue(*value, a, err)) return false;
      v = std::move(a);
    }
    if (!v && action != "DELETE") return invalid(err, pre + "Only DELETE action is allowed when no attribute value is specified");
    ast::UpdateAction a;
    a.path.elements.push_back(expr::PathElement{name, -1});
    if (action == "DELETE") {
      if (!v) {
        a.kind = ast::UpdateAction::Kind::Remove;
      } else {
        ValueType t = v->type();
        if (t != ValueType::SS && t != ValueType::NS && t != ValueType::BS)
          return invalid(err, pre + "DELETE action with value is not supported for the type " + std::string(typeName(t)));
        a.kind = ast::UpdateAction::Kind::Delete;
        a.operand = std::move(*v);
      }
    } else if (action == "ADD") {
      ValueType t = v->type();
      if (t == ValueType::L) {
        // ADD of a list appends to the existing list (or starts one).
        a.kind = ast::UpdateAction::Kind::Set;
        ast::UpdateValue existing;
        existing.kind = ast::UpdateValue::Kind::IfNotExists;
        ast::UpdateValue path, empty, add;
        path.kind = ast::UpdateValue::Kind::Path;
        path.path = a.path;
        empty.kind = ast::UpdateValue::Kind::Value;
        empty.value = AttributeValue::list({});
        existing.args = {path, empty};
        add.kind = ast::UpdateValue::Kind::Value;
        add.value = std::move(*v);
        a.value.kind = ast::UpdateValue::Kind::ListAppend;
        a.value.args = {existing, add};
      } else if (t == ValueType::N || t == ValueType::SS || t == ValueType::NS || t == ValueType::BS) {
        a.kind = ast::UpdateAction::Kind::Add;
        a.operand = std::move(*v);
      } else {
        return invalid(err, pre + "ADD action is not supported for the type " + std::string(typeName(t)));
      }
    } else {  // PUT
      a.kind = ast::UpdateAction::Kind::Set;
      a.value.kind = ast::UpdateValue::Kind::Value;
      a.value.value = std::move(*v);
    }
    u.actions.push_back(std::move(a));
  }
  out = std::move(u);
  return true;
}

bool readKeyConditions(const Value& d, const expr::KeySchema& schema, expr::KeyCondition& out, ApiError& err) {
  const Value* conds = field(d, "KeyConditions");
  if (!conds || !conds->IsObject()) return invalid(err, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  if (!validateConditions(conds, err)) return false;
  const size_t n = conds->MemberCount();
  const size_t keyCount = schema.hash.size() + schema.range.size();
  if (n < 1 || n > std::max<size_t>(2, keyCount)) return invalid(err, "Conditions can be of length 1 or 2 only");
  if (keyCount == 1 && n > 1) return invalid(err, "Query key condition not supported");
  // Every partition attribute, then the sort attributes left to right: a condition on a sort
  // attribute needs one on each before it (multi-attribute GSI keys), and only the last may be
  // other than EQ.
  size_t given = 0;
  while (given < schema.range.size() && field(*conds, schema.range[given].name.c_str())) ++given;
  using Op = expr::KeyCondition::RangeOp;
  auto read = [&](const expr::KeyAttribute& k, bool hash, bool last) {
    const Value* c = field(*conds, k.name.c_str());
    if (!c || !c->IsObject()) return invalid(err, "Query condition missed key schema element: " + k.name);
    const Value* opv = field(*c, "ComparisonOperator");
    std::string op = opv && opv->IsString() ? str(*opv) : "";
    if (op == "NULL" || op == "NOT_NULL" || op == "NE" || op == "CONTAINS" || op == "NOT_CONTAINS" || op == "IN")
      return invalid(err, "Attempted conditional constraint is not an indexable operation");
    std::vector<AttributeValue> args;
    if (!readValueList(field(*c, "AttributeValueList"), args, err)) return false;
    for (const auto& a : args)
      if (a.type() != k.type)
        return invalid(err, "One or more parameter values were invalid: Condition parameter type does not match schema type");
    if (hash || !last) {
      if (op != "EQ") return invalid(err, "Query key condition not supported");
      (hash ? out.hashValues : out.rangeEquals).push_back(args.at(0));
      return true;
    }
    if (op == "EQ") out.rangeOp = Op::Eq;
    else if (op == "LT") out.rangeOp = Op::Lt;
    else if (op == "LE") out.rangeOp = Op::Le;
    else if (op == "GT") out.rangeOp = Op::Gt;
    else if (op == "GE") out.rangeOp = Op::Ge;
    else if (op == "BEGINS_WITH") out.rangeOp = Op::BeginsWith;
    else if (op == "BETWEEN") out.rangeOp = Op::Between;
    out.low = args.at(0);
    if (args.size() > 1) out.high = args[1];
    return true;
  };
  for (const auto& h : schema.hash)
    if (!read(h, true, false)) return false;
  if (schema.hash.size() + given < n) {
    return invalid(err, "Query condition missed key schema element: " +
                            (given < schema.range.size() ? schema.range[given].name : schema.hashName()));
  }
  for (size_t i = 0; i < given; ++i)
    if (!read(schema.range[i], false, i + 1 == given)) return false;
  return true;
}

}  // namespace cdnlab::store::legacy
