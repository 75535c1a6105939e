// The field order and the never-set fields (iNT, dECIMAL, ..., workloadProfileName) are those of
// DynamoDB's own request classes as its messages show them; a binary value prints as the Java
// ByteBuffer that holds it.
#include "origin/store/validate/java_echo.h"

#include <string_view>

#include "origin/store/model/base64.h"

namespace cdnlab::store::validate {
namespace {

using rapidjson::Value;

std::string_view sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

std::string byteBuffer(const Value& b64) {
  size_t n = 0;
  if (b64.IsString()) {
    auto bytes = base64Decode(sv(b64));
    n = bytes ? bytes->size() : 0;
  }
  std::string len = std::to_string(n);
  return "java.nio.HeapByteBuffer[pos=0 lim=" + len + " cap=" + len + "]";
}

std::string attributeValue(const Value& v, int depth);

std::string list(const Value& v, int depth, std::string (*each)(const Value&, int)) {
  if (!v.IsArray()) return "null";
  std::string s = "[";
  bool first = true;
  for (const auto& e : v.GetArray()) {
    if (!first) s += ", ";
    first = false;
    s += each(e, depth);
  }
  return s + "]";
}

std::string text(const Value& v, int) { return v.IsString() ? std::string(sv(v)) : "null"; }
std::string buffer(const Value& v, int) { return byteBuffer(v); }

std::string attributeMap(const Value& m, int depth) {
  if (!m.IsObject()) return "null";
  std::string s = "{";
  bool first = true;
  for (const auto& e : m.GetObject()) {
    if (!first) s += ", ";
    first = false;
    s += std::string(sv(e.name)) + "=" + attributeValue(e.value, depth + 1);
  }
  return s + "}";
}

std::string attributeValue(const Value& v, int depth) {
  if (!v.IsObject()) return "null";
  // Nesting is bounded by the request's own depth limit (model/json_depth.h) before this runs;
  // the guard keeps a stray deep value from exhausting the stack all the same.
  if (depth > 64) return "AttributeValue(...)";
  auto field = [&](const char* name) -> const Value* {
    auto it = v.FindMember(name);
    return it == v.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
  };
  auto orNull = [](const Value* f, auto render) { return f ? render(*f) : std::string("null"); };
  std::string s = "AttributeValue(";
  s += "s=" + orNull(field("S"), [](const Value& x) { return text(x, 0); });
  s += ", n=" + orNull(field("N"), [](const Value& x) { return text(x, 0); });
  s += ", b=" + orNull(field("B"), [](const Value& x) { return byteBuffer(x); });
  s += ", iNT=null, dECIMAL=null, dOUBLE=null";
  s += ", sS=" + orNull(field("SS"), [](const Value& x) { return list(x, 0, text); });
  s += ", nS=" + orNull(field("NS"), [](const Value& x) { return list(x, 0, text); });
  s += ", bS=" + orNull(field("BS"), [](const Value& x) { return list(x, 0, buffer); });
  s += ", iNTSET=null, dECIMALSET=null, dOUBLESET=null";
  s += ", m=" + orNull(field("M"), [&](const Value& x) { return attributeMap(x, depth); });
  s += ", l=" + orNull(field("L"), [&](const Value& x) { return list(x, depth + 1, attributeValue); });
  auto flag = [](const Value& x) { return std::string(x.IsBool() && x.GetBool() ? "true" : "false"); };
  s += ", nULL=" + orNull(field("NULL"), flag);
  s += ", bOOL=" + orNull(field("BOOL"), flag);
  return s + ")";
}

std::string writeRequest(const Value& w, int) {
  if (!w.IsObject()) return "null";
  auto part = [&](const char* member, const char* cls, const char* field) {
    auto it = w.FindMember(member);
    if (it == w.MemberEnd() || !it->value.IsObject()) return std::string("null");
    auto inner = it->value.FindMember(field[0] == 'i' ? "Item" : "Key");
    std::string body = inner == it->value.MemberEnd() ? "null" : attributeMap(inner->value, 0);
    return std::string(cls) + "(" + field + "=" + body + ", workloadProfileName=null)";
  };
  return "WriteRequest(putRequest=" + part("PutRequest", "PutRequest", "item") +
         ", deleteRequest=" + part("DeleteRequest", "DeleteRequest", "key") + ")";
}

}  // namespace

std::string javaEchoOfWriteRequests(const Value& requestItems) {
  if (!requestItems.IsObject()) return "null";
  std::string s = "{";
  bool first = true;
  for (const auto& t : requestItems.GetObject()) {
    if (!first) s += ", ";
    first = false;
    s += std::string(sv(t.name)) + "=" + list(t.value, 0, writeRequest);
  }
  return s + "}";
}

}  // namespace cdnlab::store::validate
