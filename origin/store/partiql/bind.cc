// Lowering a PartiQL statement onto the store's expression trees (partiql/bind.h).
#include "origin/store/partiql/bind.h"

#include "origin/store/partiql/lexer.h"

namespace cdnlab::store::partiql {
namespace {

using expr::ast::Node;
using expr::ast::Operand;

Error invalid(std::string message) { return Error{kValidationError, std::move(message)}; }

bool isConstant(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Literal: case Expr::Kind::Param: case Expr::Kind::MapCtor:
    case Expr::Kind::ListCtor: case Expr::Kind::SetCtor:
      return true;
    default:
      return false;
  }
}

Result<AttributeValue> setOf(const Expr& e, const std::vector<AttributeValue>& params) {
  std::vector<AttributeValue> members;
  for (const auto& c : e.children) {
    auto v = constantValue(*c, params);
    if (!v) return v.error();
    members.push_back(std::move(*v));
  }
  if (members.empty()) return invalid("One or more parameter values were invalid: An string set  may not be empty");
  ValueType t = members[0].type();
  for (const auto& m : members)
    if (m.type() != t || (t != ValueType::S && t != ValueType::N && t != ValueType::B))
      return malformed("A set may hold only strings, numbers or binaries, all of one type");
  if (t == ValueType::S) {
    std::vector<std::string> s;
    for (auto& m : members) s.push_back(m.s());
    return AttributeValue::stringSet(std::move(s));
  }
  if (t == ValueType::N) {
    std::vector<Number> n;
    for (auto& m : members) n.push_back(m.n());
    return AttributeValue::numberSet(std::move(n));
  }
  std::vector<std::string> b;
  for (auto& m : members) b.push_back(m.b());
  return AttributeValue::binarySet(std::move(b));
}

// An operand of a comparison or function: a path, size(path), or a constant.
Result<Operand> operand(const Expr& e, const std::vector<AttributeValue>& params) {
  Operand o;
  if (e.kind == Expr::Kind::Path) {
    o.kind = Operand::Kind::Path;
    o.path = e.path;
    return o;
  }
  if (e.kind == Expr::Kind::Call && e.name == "size") {
    if (e.children.size() != 1 || e.children[0]->kind != Expr::Kind::Path)
      return malformed("size takes one attribute path");
    o.kind = Operand::Kind::Size;
    o.path = e.children[0]->path;
    return o;
  }
  if (!isConstant(e)) return malformed("Unsupported operand at position " + std::to_string(e.pos));
  auto v = constantValue(e, params);
  if (!v) return v.error();
  o.kind = Operand::Kind::Value;
  o.value = std::move(*v);
  return o;
}

// < <= > >= and BETWEEN order S, N and B only: any other constant operand is refused outright
// (DynamoDB's statement-level check, not a comparison that comes out false).
Result<bool> checkOrdered(const std::vector<Operand>& ops, std::string_view opText) {
  for (const auto& o : ops) {
    if (o.kind != Operand::Kind::Value) continue;
    ValueType t = o.value.type();
    if (t == ValueType::S || t == ValueType::N || t == ValueType::B) continue;
    return invalid("Incorrect operand type for operator or function; operator or function: " + std::string(opText) +
                   ", operand type: " + std::string(typeName(t)));
  }
  return true;
}

std::unique_ptr<Node> node(Node::Kind k) {
  auto n = std::make_unique<Node>();
  n->kind = k;
  return n;
}

Result<std::unique_ptr<Node>> lower(const Expr& e, const std::vector<AttributeValue>& params) {
  using K = Expr::Kind;
  switch (e.kind) {
    case K::And: case K::Or: {
      auto n = node(e.kind == K::And ? Node::Kind::And : Node::Kind::Or);
      for (const auto& c : e.children) {
        auto l = lower(*c, params);
        if (!l) return l.error();
        n->children.push_back(std::move(*l));
      }
      return n;
    }
    case K::Not: {
      auto n = node(Node::Kind::Not);
      auto l = lower(*e.children[0], params);
      if (!l) return l.error();
      n->children.push_back(std::move(*l));
      return n;
    }
    case K::Compare: case K::Between: case K::In: {
      auto n = node(e.kind == K::Compare ? Node::Kind::Compare : e.kind == K::Between ? Node::Kind::Between : Node::Kind::In);
      n->op = e.op;
      for (const auto& c : e.children) {
        if (c->kind == K::Missing) {
          // `x = MISSING` / `x <> MISSING`: PartiQL's spelling of absence.
          if (e.kind != K::Compare || (e.op != expr::ast::CompareOp::Eq && e.op != expr::ast::CompareOp::Ne) ||
              e.children[0]->kind != K::Path)
            return malformed("MISSING compares only with = or <> against an attribute path");
          auto f = node(Node::Kind::Function);
          f->function = e.op == expr::ast::CompareOp::Eq ? expr::ast::Function::AttributeNotExists
                                                          : expr::ast::Function::AttributeExists;
          Operand p;
          p.kind = Operand::Kind::Path;
          p.path = e.children[0]->path;
          f->operands.push_back(std::move(p));
          return f;
        }
        auto o = operand(*c, params);
        if (!o) return o.error();
        n->operands.push_back(std::move(*o));
      }
      bool ordering = e.kind == K::Between || (e.kind == K::Compare && e.op != expr::ast::CompareOp::Eq &&
                                                e.op != expr::ast::CompareOp::Ne);
      if (ordering) {
        auto ok = checkOrdered(n->operands, e.kind == K::Between ? "BETWEEN" : e.opText);
        if (!ok) return ok.error();
      }
      return n;
    }
    case K::IsType: {
      if (e.children[0]->kind != K::Path) return malformed("IS takes an attribute path");
      Operand p;
      p.kind = Operand::Kind::Path;
      p.path = e.children[0]->path;
      auto f = node(Node::Kind::Function);
      if (e.name == "MISSING") {
        f->function = e.negated ? expr::ast::Function::AttributeExists : expr::ast::Function::AttributeNotExists;
        f->operands.push_back(std::move(p));
        return f;
      }
      // IS NULL: a NULL value (PartiQL's MISSING IS NULL too: an absent attribute also counts).
      f->function = expr::ast::Function::AttributeType;
      f->operands.push_back(p);
      Operand t;
      t.value = AttributeValue::string("NULL");
      f->operands.push_back(std::move(t));
      auto absent = node(Node::Kind::Function);
      absent->function = expr::ast::Function::AttributeNotExists;
      absent->operands.push_back(std::move(p));
      auto either = node(Node::Kind::Or);
      either->children.push_back(std::move(f));
      either->children.push_back(std::move(absent));
      if (!e.negated) return either;
      auto n = node(Node::Kind::Not);
      n->children.push_back(std::move(either));
      return n;
    }
    case K::Call: {
      static const std::pair<std::string_view, std::pair<expr::ast::Function, size_t>> fns[] = {
          {"attribute_exists", {expr::ast::Function::AttributeExists, 1}},
          {"attribute_not_exists", {expr::ast::Function::AttributeNotExists, 1}},
          {"attribute_type", {expr::ast::Function::AttributeType, 2}},
          {"begins_with", {expr::ast::Function::BeginsWith, 2}},
          {"contains", {expr::ast::Function::Contains, 2}},
      };
      for (const auto& [name, fn] : fns) {
        if (e.name != name) continue;
        if (e.children.size() != fn.second)
          return malformed("Incorrect number of arguments for function: " + std::string(name));
        if (e.children[0]->kind != K::Path)
          return malformed("The first argument of " + std::string(name) + " must be an attribute path");
        auto f = node(Node::Kind::Function);
        f->function = fn.first;
        for (const auto& c : e.children) {
          auto o = operand(*c, params);
          if (!o) return o.error();
          f->operands.push_back(std::move(*o));
        }
        if (fn.first == expr::ast::Function::BeginsWith) {
          auto ok = checkOrdered({f->operands[1]}, "begins_with");
          if (!ok) return ok.error();
        }
        return f;
      }
      return malformed("Unsupported function in condition: " + e.name);
    }
    case K::Path: {
      // A bare boolean attribute: true when it holds TRUE.
      auto n = node(Node::Kind::Compare);
      Operand p;
      p.kind = Operand::Kind::Path;
      p.path = e.path;
      Operand t;
      t.value = AttributeValue::boolean(true);
      n->operands.push_back(std::move(p));
      n->operands.push_back(std::move(t));
      return n;
    }
    default:
      return malformed("Unsupported condition at position " + std::to_string(e.pos));
  }
}

// The right-hand side of SET.
Result<expr::ast::UpdateValue> updateValue(const Expr& e, const std::vector<AttributeValue>& params) {
  using UV = expr::ast::UpdateValue;
  UV u;
  if (e.kind == Expr::Kind::Path) {
    u.kind = UV::Kind::Path;
    u.path = e.path;
    return u;
  }
  if (isConstant(e)) {
    auto v = constantValue(e, params);
    if (!v) return v.error();
    u.kind = UV::Kind::Value;
    u.value = std::move(*v);
    return u;
  }
  auto twoArgs = [&](UV::Kind k, const Expr& a, const Expr& b) -> Result<UV> {
    UV out;
    out.kind = k;
    for (const Expr* x : {&a, &b}) {
      auto sub = updateValue(*x, params);
      if (!sub) return sub.error();
      out.args.push_back(std::move(*sub));
    }
    return out;
  };
  if (e.kind == Expr::Kind::Add || e.kind == Expr::Kind::Sub)
    return twoArgs(e.kind == Expr::Kind::Add ? UV::Kind::Plus : UV::Kind::Minus, *e.children[0], *e.children[1]);
  if (e.kind == Expr::Kind::Call && e.children.size() == 2) {
    if (e.name == "list_append") return twoArgs(UV::Kind::ListAppend, *e.children[0], *e.children[1]);
    if (e.name == "if_not_exists" && e.children[0]->kind == Expr::Kind::Path)
      return twoArgs(UV::Kind::IfNotExists, *e.children[0], *e.children[1]);
  }
  return malformed("Unsupported value in SET at position " + std::to_string(e.pos));
}

Result<expr::ast::UpdateAction> action(const SetAction& a, const std::vector<AttributeValue>& params) {
  using UA = expr::ast::UpdateAction;
  UA out;
  out.path = a.path;
  if (a.remove) {
    out.kind = UA::Kind::Remove;
    return out;
  }
  const Expr& v = *a.value;
  // SET s = set_add(s, <<...>>) / set_delete(s, <<...>>): the update language's ADD and DELETE.
  if (v.kind == Expr::Kind::Call && (v.name == "set_add" || v.name == "set_delete")) {
    if (v.children.size() != 2 || v.children[0]->kind != Expr::Kind::Path || !(v.children[0]->path == a.path))
      return malformed(v.name + " takes the attribute being set and a set");
    auto operand = constantValue(*v.children[1], params);
    if (!operand) return operand.error();
    out.kind = v.name == "set_add" ? UA::Kind::Add : UA::Kind::Delete;
    out.operand = std::move(*operand);
    return out;
  }
  auto u = updateValue(v, params);
  if (!u) return u.error();
  out.kind = UA::Kind::Set;
  out.value = std::move(*u);
  return out;
}

}  // namespace

Result<AttributeValue> constantValue(const Expr& e, const std::vector<AttributeValue>& params) {
  switch (e.kind) {
    case Expr::Kind::Literal: return e.value;
    case Expr::Kind::Param:
      if (e.param >= params.size()) return invalid("Number of parameters in request and statement don't match.");
      return params[e.param];
    case Expr::Kind::MapCtor: {
      AttributeMap m;
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        auto v = constantValue(*e.children[i + 1], params);
        if (!v) return v.error();
        m.insert_or_assign(e.children[i]->value.s(), std::move(*v));
      }
      return AttributeValue::map(std::move(m));
    }
    case Expr::Kind::ListCtor: {
      AttributeList l;
      for (const auto& c : e.children) {
        auto v = constantValue(*c, params);
        if (!v) return v.error();
        l.push_back(std::move(*v));
      }
      return AttributeValue::list(std::move(l));
    }
    case Expr::Kind::SetCtor: return setOf(e, params);
    default: return malformed("Expected a value at position " + std::to_string(e.pos));
  }
}

Result<Bound> bindStatement(const Statement& s, const std::vector<AttributeValue>& params) {
  if (params.size() != s.params) return invalid("Number of parameters in request and statement don't match.");
  Bound b;
  if (s.where) {
    auto root = lower(*s.where, params);
    if (!root) return root.error();
    b.where = expr::Condition{std::shared_ptr<const Node>(std::move(*root))};
  }
  if (s.value) {
    auto v = constantValue(*s.value, params);
    if (!v) return v.error();
    if (!v->is(ValueType::M)) return malformed("INSERT takes a single item: VALUE {...}");
    b.value = v->m();
  }
  for (const auto& a : s.actions) {
    auto ua = action(a, params);
    if (!ua) return ua.error();
    b.update.actions.push_back(std::move(*ua));
  }
  return b;
}

}  // namespace cdnlab::store::partiql
