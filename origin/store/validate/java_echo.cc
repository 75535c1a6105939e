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

// Every AttributeValue prints some 150 characters of never-set fields, so a request of many small
// values would echo tens of times its own size: past kMaxEcho characters the echo stops ("...").
constexpr size_t kMaxEcho = 1 << 20;

class Echo {
 public:
  std::string out;

  bool full() {
    if (out.size() <= kMaxEcho) return false;
    if (!cut_) out += "...";
    cut_ = true;
    return true;
  }

  void byteBuffer(const Value& b64) {
    size_t n = 0;
    if (b64.IsString()) {
      auto bytes = base64Decode(sv(b64));
      n = bytes ? bytes->size() : 0;
    }
    std::string len = std::to_string(n);
    out += "java.nio.HeapByteBuffer[pos=0 lim=" + len + " cap=" + len + "]";
  }

  void text(const Value& v) { out += v.IsString() ? sv(v) : std::string_view("null"); }

  // "[a, b]" of `v`'s elements, each written by `each`.
  template <typename Each>
  void list(const Value& v, Each each) {
    if (!v.IsArray()) {
      out += "null";
      return;
    }
    out += "[";
    bool first = true;
    for (const auto& e : v.GetArray()) {
      if (!first) out += ", ";
      first = false;
      if (full()) break;
      each(e);
    }
    out += "]";
  }

  void attributeMap(const Value& m, int depth) {
    if (!m.IsObject()) {
      out += "null";
      return;
    }
    out += "{";
    bool first = true;
    for (const auto& e : m.GetObject()) {
      if (!first) out += ", ";
      first = false;
      if (full()) break;
      out += sv(e.name);
      out += "=";
      attributeValue(e.value, depth + 1);
    }
    out += "}";
  }

  void attributeValue(const Value& v, int depth) {
    if (!v.IsObject()) {
      out += "null";
      return;
    }
    // Nesting is bounded by the request's depth limit (model/json_depth.h) before this runs; the
    // guard keeps a deep value from exhausting the stack all the same.
    if (depth > 64 || full()) {
      out += "AttributeValue(...)";
      return;
    }
    auto field = [&](const char* name) -> const Value* {
      auto it = v.FindMember(name);
      return it == v.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
    };
    auto put = [&](const char* label, const char* member, auto render) {
      out += label;
      if (const Value* f = field(member)) render(*f);
      else out += "null";
    };
    auto flag = [&](const Value& x) { out += x.IsBool() && x.GetBool() ? "true" : "false"; };
    out += "AttributeValue(";
    put("s=", "S", [&](const Value& x) { text(x); });
    put(", n=", "N", [&](const Value& x) { text(x); });
    put(", b=", "B", [&](const Value& x) { byteBuffer(x); });
    out += ", iNT=null, dECIMAL=null, dOUBLE=null";
    put(", sS=", "SS", [&](const Value& x) { list(x, [&](const Value& e) { text(e); }); });
    put(", nS=", "NS", [&](const Value& x) { list(x, [&](const Value& e) { text(e); }); });
    put(", bS=", "BS", [&](const Value& x) { list(x, [&](const Value& e) { byteBuffer(e); }); });
    out += ", iNTSET=null, dECIMALSET=null, dOUBLESET=null";
    put(", m=", "M", [&](const Value& x) { attributeMap(x, depth); });
    put(", l=", "L", [&](const Value& x) { list(x, [&](const Value& e) { attributeValue(e, depth + 1); }); });
    put(", nULL=", "NULL", flag);
    put(", bOOL=", "BOOL", flag);
    out += ")";
  }

  // PutRequest(item={...}, workloadProfileName=null) / DeleteRequest(key={...}, ...), or null.
  void request(const Value& w, const char* member, const char* cls, const char* field, const char* inner) {
    auto it = w.FindMember(member);
    if (it == w.MemberEnd() || !it->value.IsObject()) {
      out += "null";
      return;
    }
    out += cls;
    out += "(";
    out += field;
    out += "=";
    auto m = it->value.FindMember(inner);
    if (m == it->value.MemberEnd()) out += "null";
    else attributeMap(m->value, 0);
    out += ", workloadProfileName=null)";
  }

  void writeRequest(const Value& w) {
    if (!w.IsObject()) {
      out += "null";
      return;
    }
    out += "WriteRequest(putRequest=";
    request(w, "PutRequest", "PutRequest", "item", "Item");
    out += ", deleteRequest=";
    request(w, "DeleteRequest", "DeleteRequest", "key", "Key");
    out += ")";
  }

 private:
  bool cut_ = false;
};

}  // namespace

std::string javaEchoOfWriteRequests(const Value& requestItems) {
  if (!requestItems.IsObject()) return "null";
  Echo e;
  e.out = "{";
  bool first = true;
  for (const auto& t : requestItems.GetObject()) {
    if (!first) e.out += ", ";
    first = false;
    if (e.full()) break;
    e.out += sv(t.name);
    e.out += "=";
    e.list(t.value, [&](const Value& w) { e.writeRequest(w); });
  }
  e.out += "}";
  return std::move(e.out);
}

}  // namespace cdnlab::store::validate
