// The request-shape interpreter: walks a request body against its shape (validate/shapes.cc) in
// two passes, types first (SerializationException at the first mismatch), then constraints
// (ValidationException listing up to ten). The member order of the shape is the order of checks.
// What each shape node needs (its $ref resolved, its type parsed) is indexed once at first use.
#include "origin/store/validate/shape.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "origin/store/model/base64.h"
#include "origin/store/model/json.h"
#include "origin/store/validate/java_echo.h"

namespace cdnlab::store::validate {
namespace {

using rapidjson::Value;

const rapidjson::Document& shapes() {
  static const rapidjson::Document doc = [] {
    rapidjson::Document d;
    d.Parse(requestShapesJson());
    return d;
  }();
  return doc;
}

std::string_view sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

const Value* find(const Value& o, std::string_view name) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  return it == o.MemberEnd() ? nullptr : &it->value;
}

// The two large objects, the operations and "$defs", are looked up on every request and every
// shared shape: RapidJSON's FindMember is a linear scan with string compares, so each is indexed once.
using MemberIndex = std::unordered_map<std::string_view, const Value*>;

MemberIndex indexMembers(const Value* o) {
  MemberIndex index;
  if (o && o->IsObject())
    for (const auto& m : o->GetObject()) index.emplace(sv(m.name), &m.value);
  return index;
}

const Value* lookup(const MemberIndex& index, std::string_view name) {
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

const MemberIndex& operationShapes() {
  static const MemberIndex index = indexMembers(&shapes());
  return index;
}

// A shape written once in "$defs" and used by reference: {"$ref": "<Name>"} stands for it.
const Value& resolveRef(const Value& spec) {
  if (!spec.IsObject() || spec.MemberCount() != 1) return spec;
  const Value* ref = find(spec, "$ref");
  if (!ref || !ref->IsString()) return spec;
  static const MemberIndex defs = indexMembers(find(shapes(), "$defs"));
  const Value* def = lookup(defs, sv(*ref));
  return def ? *def : spec;
}

// A shape node is either a type name ("String") or {type, children, constraints...}.
struct TypeOf {
  std::string_view base, sub;
  const Value* children = nullptr;
};

TypeOf computeTypeOf(const Value& shape) {
  const Value& spec = resolveRef(shape);
  TypeOf t;
  std::string_view type;
  if (spec.IsString()) {
    type = sv(spec);
  } else if (spec.IsObject()) {
    if (const Value* ty = find(spec, "type"); ty && ty->IsString()) type = sv(*ty);
    t.children = find(spec, "children");
    if (t.children) t.children = &resolveRef(*t.children);
  }
  auto lt = type.find('<');
  if (lt != std::string_view::npos && type.back() == '>') {
    t.base = type.substr(0, lt);
    t.sub = type.substr(lt + 1, type.size() - lt - 2);
  } else {
    t.base = type;
  }
  return t;
}

// What every request asks of a shape node - its reference resolved, its type, whether it is
// required or a table name - worked out once for every node of the shapes document: the
// member scans above were most of a request's shape check.
struct NodeInfo {
  const Value* resolved = nullptr;
  TypeOf type;
  bool required = false;
  bool tableName = false;
  bool notNull = false;
};

using NodeIndex = std::unordered_map<const Value*, NodeInfo>;

NodeInfo computeInfo(const Value& spec) {
  NodeInfo info;
  info.resolved = &resolveRef(spec);
  info.type = computeTypeOf(spec);
  info.required = find(*info.resolved, "required") != nullptr;
  info.tableName = find(*info.resolved, "tableName") != nullptr;
  info.notNull = find(*info.resolved, "notNull") != nullptr;
  return info;
}

void indexNodes(const Value& v, NodeIndex& index) {
  if (v.IsString() || v.IsObject()) index.emplace(&v, computeInfo(v));
  if (v.IsObject())
    for (const auto& m : v.GetObject()) indexNodes(m.value, index);
  else if (v.IsArray())
    for (const auto& e : v.GetArray()) indexNodes(e, index);
}

const NodeIndex& nodes() {
  static const NodeIndex index = [] {
    NodeIndex i;
    indexNodes(shapes(), i);
    return i;
  }();
  return index;
}

// The node's facts; a node outside the shapes document (none today) is worked out on the spot.
NodeInfo infoOf(const Value& spec) {
  const NodeIndex& index = nodes();
  auto it = index.find(&spec);
  if (it != index.end()) return it->second;
  return computeInfo(spec);
}

const Value& resolve(const Value& spec) { return *infoOf(spec).resolved; }
TypeOf typeOf(const Value& spec) { return infoOf(spec).type; }

// The AttributeValue union's ten type members, and the same indexed by name.
const Value& attributeTypes() {
  static const Value& children = shapes()["$AttrValueStruct"]["children"];
  return children;
}
const MemberIndex& attributeTypeIndex() {
  static const MemberIndex index = indexMembers(&attributeTypes());
  return index;
}

bool isIntegral(const Value& v) {
  if (v.IsInt64() || v.IsUint64()) return true;
  double d = v.GetDouble();
  return std::isfinite(d) && std::floor(d) == d;
}

bool fail(std::string& msg, std::string text) {
  msg = std::move(text);
  return false;
}

// ---- pass 1: JSON types -------------------------------------------------------------------

bool checkType(const Value& v, const Value& spec, std::string& msg);

bool checkStruct(const Value& data, const Value& shape, std::string& msg) {
  const Value& types = resolve(shape);
  if (!types.IsObject()) return true;
  for (const auto& m : types.GetObject()) {
    const Value* val = find(data, sv(m.name));
    if (!val || val->IsNull()) continue;
    if (!checkType(*val, m.value, msg)) return false;
  }
  return true;
}

bool checkType(const Value& v, const Value& spec, std::string& msg) {
  if (v.IsNull()) return true;
  TypeOf t = typeOf(spec);
  std::string_view type = t.base;
  if (type == "AttrStruct") {
    // An AttributeValue: the union of the ten type members, as a ValueStruct or FieldStruct.
    if (v.IsBool() || v.IsNumber() || v.IsString())
      return fail(msg, t.sub == "ValueStruct" ? "Unexpected value type in payload" : "Unexpected field type");
    if (v.IsArray()) return fail(msg, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    if (v.MemberCount() == 1) {
      // The usual value, one type member: look it up rather than try all ten. (With more, the
      // first mismatch in the union's order is the one reported, so they are walked in that order.)
      const auto& m = *v.MemberBegin();
      const Value* spec = lookup(attributeTypeIndex(), sv(m.name));
      return !spec || m.value.IsNull() || checkType(m.value, *spec, msg);
    }
    return checkStruct(v, attributeTypes(), msg);
  }
  const bool isArray = v.IsArray(), isObject = v.IsObject();
  if (type == "Boolean") {
    if (v.IsNumber()) return fail(msg, std::string(isIntegral(v) ? "NUMBER_VALUE" : "DECIMAL_VALUE") + " cannot be converted to Boolean");
    if (v.IsString()) {
      std::string u(sv(v));
      for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (u != "TRUE" && u != "1" && u != "YES" && u != "FALSE" && u != "0" && u != "NO")
        return fail(msg, "Unexpected token received from parser");
    }
    if (isArray) return fail(msg, "Unrecognized collection type class java.lang.Boolean");
    if (isObject) return fail(msg, "Start of structure or map found where not expected");
    return true;
  }
  if (type == "Short" || type == "Integer" || type == "Long" || type == "Double") {
    if (v.IsBool()) return fail(msg, std::string(v.GetBool() ? "TRUE_VALUE" : "FALSE_VALUE") + " cannot be converted to " + std::string(type));
    if (v.IsString()) return fail(msg, "STRING_VALUE cannot be converted to " + std::string(type));
    if (isArray) return fail(msg, "Unrecognized collection type class java.lang." + std::string(type));
    if (isObject) return fail(msg, "Start of structure or map found where not expected");
    return true;
  }
  if (type == "String") {
    if (v.IsBool()) return fail(msg, std::string(v.GetBool() ? "TRUE_VALUE" : "FALSE_VALUE") + " cannot be converted to String");
    if (v.IsNumber()) return fail(msg, std::string(isIntegral(v) ? "NUMBER_VALUE" : "DECIMAL_VALUE") + " cannot be converted to String");
    if (isArray) return fail(msg, "Unrecognized collection type class java.lang.String");
    if (isObject) return fail(msg, "Start of structure or map found where not expected");
    return true;
  }
  if (type == "Blob") {
    if (v.IsBool() || v.IsNumber()) return fail(msg, "only base-64-encoded strings are convertible to bytes");
    if (isArray) return fail(msg, "Unrecognized collection type class java.nio.ByteBuffer");
    if (isObject) return fail(msg, "Start of structure or map found where not expected");
    std::string_view s = sv(v);
    if (s.size() % 4) return fail(msg, "Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(s.size()));
    auto bytes = base64Decode(s);
    if (!bytes || base64Encode(*bytes) != s) return fail(msg, "Invalid last non-pad Base64 character dectected");
    return true;
  }
  if (type == "List" || type == "ParameterizedList") {
    if (v.IsBool() || v.IsNumber() || v.IsString())
      return fail(msg, type == "List" ? "Unexpected field type"
                                      : "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
                                        "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
                                        "java.lang.Class are in module java.base of loader 'bootstrap')");
    if (isObject) return fail(msg, "Start of structure or map found where not expected");
    if (!t.children) return true;
    for (const auto& e : v.GetArray())
      if (!checkType(e, *t.children, msg)) return false;
    return true;
  }
  if (type == "Map" || type == "ParameterizedMap") {
    if (v.IsBool() || v.IsNumber() || v.IsString())
      return fail(msg, type == "Map" ? "Unexpected field type"
                                     : "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class "
                                       "java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
                                       "java.lang.Class are in module java.base of loader 'bootstrap')");
    if (isArray) {
      if (type == "ParameterizedMap")
        return fail(msg, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
      std::string sub(t.sub);
      if (sub.find('.') == std::string::npos) sub = "com.amazonaws.dynamodb.v20120810." + sub;
      return fail(msg, "Unrecognized collection type java.util.Map<java.lang.String, " + sub + ">");
    }
    if (!t.children) return true;
    for (const auto& m : v.GetObject())
      if (!checkType(m.value, *t.children, msg)) return false;
    return true;
  }
  if (type == "ValueStruct" || type == "FieldStruct") {
    if (v.IsBool() || v.IsNumber() || v.IsString())
      return fail(msg, type == "ValueStruct" ? "Unexpected value type in payload" : "Unexpected field type");
    if (isArray) return fail(msg, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810." + std::string(t.sub));
    return t.children ? checkStruct(v, *t.children, msg) : true;
  }
  return true;  // an unknown type name in the shape: nothing to check
}

// ---- pass 2: constraints ------------------------------------------------------------------

std::string lowerFirst(std::string_view s) {
  std::string o(s);
  if (!o.empty()) o[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(o[0])));
  return o;
}

std::string jsNumber(double d) {
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e21) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(d));
    return std::string(buf, r.ptr);
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// JSON of a value with the null members of its objects left out, as Coral prints a structure
// (it drops them when it reads the request); nulls in arrays stay.
template <typename Writer>
void writeWithoutNullMembers(const Value& v, Writer& w) {
  if (v.IsObject()) {
    w.StartObject();
    for (const auto& m : v.GetObject()) {
      if (m.value.IsNull()) continue;
      w.Key(m.name.GetString(), m.name.GetStringLength());
      writeWithoutNullMembers(m.value, w);
    }
    w.EndObject();
  } else if (v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray()) writeWithoutNullMembers(e, w);
    w.EndArray();
  } else {
    v.Accept(w);
  }
}

// The member's value as the Coral framework prints it in a constraint message.
std::string valueStr(const Value& v, bool integerType) {
  if (v.IsString()) return std::string(sv(v));
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsNumber()) {
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    double d = v.GetDouble();
    return jsNumber(integerType ? std::floor(d) : d);
  }
  if (v.IsArray()) {
    std::string s = "[";
    bool first = true;
    for (const auto& e : v.GetArray()) {
      if (!first) s += ", ";
      first = false;
      s += e.IsNull() ? "null" : valueStr(e, false);
    }
    return s + "]";
  }
  if (v.IsObject()) {
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    writeWithoutNullMembers(v, w);
    return std::string(sb.GetString(), sb.GetSize());
  }
  return "null";
}

double numberOf(const Value& v, bool integerType) {
  double d = v.IsNumber() ? v.GetDouble() : 0;
  return integerType ? std::floor(d) : d;
}

bool isIntegerType(std::string_view t) { return t == "Short" || t == "Integer" || t == "Long"; }

double lengthOf(const Value& v) {
  if (v.IsString()) return static_cast<double>(utf16Length(sv(v)));
  if (v.IsArray()) return v.Size();
  if (v.IsObject()) return v.MemberCount();
  return 0;
}

// Only the one pattern AWS's shapes use here: "[<class>]+".
bool matchesPattern(std::string_view pattern, std::string_view s) {
  if (pattern != "[a-zA-Z0-9_.-]+") return true;
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string jsonNumberText(const Value& n) { return n.IsNumber() ? valueStr(n, false) : "?"; }

// A table name's constraints (the pattern AWS's shapes give TableName, RequestItems' keys and
// index names alike).
bool hasTableNamePattern(const Value& spec) {
  const Value* re = find(spec, "regex");
  return re && re->IsString() && sv(*re) == "[a-zA-Z0-9_.-]+";
}

// DynamoDB takes a table's ARN wherever an operation takes a table's name (API reference,
// TableName: "You can also provide the Amazon Resource Name (ARN) of the table", length 1 to
// 1024). An empty value breaks only that minimum; a value that starts "arn:" is held to the
// maximum alone, the operation resolves it (Service::requireTable); any other keeps the name's
// pattern and lengths. The constraint text when it decides, nullopt when the name's checks apply.
std::optional<std::string> tableNameOrArnCheck(std::string_view s) {
  if (s.empty()) return "Member must have length greater than or equal to 1";
  if (s.starts_with("arn:")) return utf16Length(s) <= 1024 ? "" : "Member must have length less than or equal to 1024";
  return std::nullopt;
}

struct Checker {
  std::vector<std::string> errors;
  // CreateTable words a table name's lengths as constraints, not as the other table operations'
  // "TableName must be at least 3 characters long and at most 255 characters long".
  bool tableNameLengthsAsConstraints = false;
  // DynamoDB's operations take a table's ARN for its name; the Streams API's ListStreams does not.
  bool tableArns = true;

  void push(const Value* data, std::string_view parent, std::string_view key, const std::string& constraint, bool integerType) {
    std::string value = data && !data->IsNull() ? "'" + valueStr(*data, integerType) + "'" : "null";
    std::string path = parent.empty() ? lowerFirst(key) : std::string(parent) + "." + lowerFirst(key);
    errors.push_back("Value " + value + " at '" + path + "' failed to satisfy constraint: " + constraint);
  }

  // One scalar check of a validation against a value; the constraint text, or empty when it holds.
  std::string single(std::string_view name, const Value& arg, const Value& data, bool integerType) {
    if (name == "notNull") return {};
    if (name == "greaterThanOrEqual")
      return numberOf(data, integerType) >= arg.GetDouble() ? "" : "Member must have value greater than or equal to " + jsonNumberText(arg);
    if (name == "lessThanOrEqual")
      return numberOf(data, integerType) <= arg.GetDouble() ? "" : "Member must have value less than or equal to " + jsonNumberText(arg);
    if (name == "lengthGreaterThanOrEqual")
      return lengthOf(data) >= arg.GetDouble() ? "" : "Member must have length greater than or equal to " + jsonNumberText(arg);
    if (name == "lengthLessThanOrEqual")
      return lengthOf(data) <= arg.GetDouble() ? "" : "Member must have length less than or equal to " + jsonNumberText(arg);
    if (name == "regex")
      return data.IsString() && matchesPattern(sv(arg), sv(data)) ? "" : "Member must satisfy regular expression pattern: " + std::string(sv(arg));
    if (name == "enum") {
      std::string set;
      bool found = false;
      for (const auto& e : arg.GetArray()) {
        if (!set.empty()) set += ", ";
        set += sv(e);
        if (data.IsString() && sv(data) == sv(e)) found = true;
      }
      return found ? "" : "Member must satisfy enum value set: [" + set + "]";
    }
    return {};
  }

  // `keys` / `values`: every map key (value) against a group of checks, one error per offender.
  // `writeRequests`: the map is BatchWriteItem's RequestItems, echoed as DynamoDB's Java objects.
  void mapGroup(bool keys, const Value& group, const Value& data, std::string_view parent, std::string_view key,
                bool writeRequests) {
    if (!data.IsObject()) return;
    for (const auto& m : data.GetObject()) {
      if (keys && tableArns && hasTableNamePattern(group)) {
        if (auto c = tableNameOrArnCheck(sv(m.name))) {
          if (!c->empty()) push(&data, parent, key, "Map keys must satisfy constraint: [" + *c + "]", false);
          continue;
        }
      }
      bool bad = false;
      for (const auto& g : group.GetObject())
        if (!single(sv(g.name), g.value, keys ? m.name : m.value, false).empty()) bad = true;
      if (!bad) continue;
      std::string msgs;
      for (const auto& g : group.GetObject()) {
        std::string_view n = sv(g.name);
        std::string text;
        if (n == "lengthGreaterThanOrEqual") text = "Member must have length greater than or equal to " + jsonNumberText(g.value);
        else if (n == "lengthLessThanOrEqual") text = "Member must have length less than or equal to " + jsonNumberText(g.value);
        else if (n == "regex") text = "Member must satisfy regular expression pattern: " + std::string(sv(g.value));
        if (!msgs.empty()) msgs += ", ";
        msgs += text;
      }
      std::string constraint = std::string(keys ? "Map keys" : "Map value") + " must satisfy constraint: [" + msgs + "]";
      if (writeRequests) {
        errors.push_back("Value '" + javaEchoOfWriteRequests(data) + "' at '" + (parent.empty() ? lowerFirst(key) : std::string(parent) + "." + lowerFirst(key)) +
                         "' failed to satisfy constraint: " + constraint);
        continue;
      }
      push(&data, parent, key, constraint, false);
    }
  }

  void member(std::string_view key, const Value* data, const Value& shape, std::string_view parent) {
    const NodeInfo info = infoOf(shape);
    const Value& spec = *info.resolved;
    if (!spec.IsObject()) return;
    if (data && data->IsNull()) data = nullptr;
    if (!data && !info.notNull) return;  // an absent member can only break notNull
    TypeOf t = info.type;
    bool integerType = isIntegerType(t.base);
    if (key == "TableName" && tableArns && data && data->IsString() && hasTableNamePattern(spec)) {
      if (auto c = tableNameOrArnCheck(sv(*data))) {
        if (!c->empty()) push(data, parent, key, *c, false);
        return;
      }
    }
    for (const auto& v : spec.GetObject()) {
      if (errors.size() >= 10) return;
      std::string_view name = sv(v.name);
      if (name == "type" || name == "required" || name == "tableName") continue;
      if (name != "notNull" && !data) continue;
      if (name == "children") {
        // A children shape without constraints (a bare type name) has nothing to check: skip the walk.
        const Value& children = resolve(v.value);
        if (!children.IsObject()) continue;
        std::string here = parent.empty() ? lowerFirst(key) : std::string(parent) + "." + lowerFirst(key);
        if (t.base.ends_with("List") && data->IsArray()) {
          for (rapidjson::SizeType i = 0; i < data->Size(); ++i)
            member("member", &(*data)[i], children, here + "." + std::to_string(i + 1));
        } else if (t.base.find("Map") != std::string_view::npos && data->IsObject()) {
          for (const auto& m : data->GetObject()) member("member", &m.value, children, here + "." + std::string(sv(m.name)));
        } else {
          members(*data, children, here);
        }
        continue;
      }
      if (name == "notNull") {
        if (!data) push(nullptr, parent, key, "Member must not be null", false);
        continue;
      }
      if (name == "keys" || name == "values") {
        const Value* type = find(spec, "type");
        bool writeRequests = type && type->IsString() && sv(*type).find("WriteRequest") != std::string_view::npos;
        mapGroup(name == "keys", resolve(v.value), *data, parent, key, writeRequests);
        continue;
      }
      std::string c = single(name, v.value, *data, integerType);
      if (c.empty()) continue;
      if (name == "lengthLessThanOrEqual" && key == "Keys" && parent.starts_with("requestItems.")) {
        // BatchGetItem's too many keys for one table: DynamoDB names the path as the request
        // spells it and echoes no value.
        errors.push_back("Value at 'R" + std::string(parent.substr(1)) + ".Keys' failed to satisfy constraint: " + c);
        continue;
      }
      push(data, parent, key, c, integerType);
    }
    if (info.tableName && tableNameLengthsAsConstraints && data && data->IsString()) {
      size_t n = utf16Length(sv(*data));
      if (n < 3) push(data, parent, key, "Member must have length greater than or equal to 3", false);
      if (n > 255) push(data, parent, key, "Member must have length less than or equal to 255", false);
    }
  }

  void members(const Value& data, const Value& shape, std::string_view parent) {
    const Value& types = resolve(shape);
    if (!types.IsObject()) return;
    for (const auto& m : types.GetObject()) member(sv(m.name), find(data, sv(m.name)), m.value, parent);
  }
};

}  // namespace

size_t utf16Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += (c >= 0xF0) ? 2 : 1;          // a 4-byte sequence is a surrogate pair
  }
  return n;
}

bool checkRequestShape(std::string_view operation, const rapidjson::Value& body, ApiError& err) {
  const Value* types = lookup(operationShapes(), operation);
  if (!types || !types->IsObject()) return true;
  std::string msg;
  if (!checkStruct(body, *types, msg)) {
    err = coralError("SerializationException", msg);
    err.capitalMessage = true;
    return false;
  }
  // Required members and table-name lengths first, each on its own.
  for (const auto& m : types->GetObject()) {
    const NodeInfo info = infoOf(m.value);
    if (!info.resolved->IsObject()) continue;
    const Value* data = find(body, sv(m.name));
    if (data && data->IsNull()) data = nullptr;
    if (info.required && !data) {
      err = validation("The parameter '" + std::string(sv(m.name)) + "' is required but was not present in the request");
      return false;
    }
    if (info.tableName && operation != "CreateTable" && data && data->IsString() && !tableNameOrArnCheck(sv(*data))) {
      size_t n = utf16Length(sv(*data));
      if (n < 3 || n > 255) {
        err = validation(std::string(sv(m.name)) + " must be at least 3 characters long and at most 255 characters long");
        return false;
      }
    }
  }
  Checker c;
  c.tableNameLengthsAsConstraints = operation == "CreateTable";
  c.tableArns = !operation.starts_with("Streams.");
  c.members(body, *types, "");
  if (c.errors.empty()) return true;
  std::string text = std::to_string(c.errors.size()) + " validation error" + (c.errors.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < c.errors.size(); ++i) text += (i ? "; " : "") + c.errors[i];
  err = validation(std::move(text));
  return false;
}

}  // namespace cdnlab::store::validate
