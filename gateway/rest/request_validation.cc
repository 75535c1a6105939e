// Request validation: models compiled with RapidJSON's draft-4 validator, required parameters,
// AWS-worded reasons (see request_validation.h).
#include "gateway/rest/request_validation.h"

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

namespace cdnlab::gateway {
namespace {

// Schemas and bodies are user input: RapidJSON builds a schema recursively, so nesting is capped
// before it does (API Gateway's own limits on models are far below this).
constexpr size_t kMaxSchemaDepth = 64;
constexpr size_t kMaxRefChain = 32;
// A body's nesting is capped before validation: a recursive schema's validator does work per
// level and per enclosing level, so a deep body would cost quadratic time (API Gateway's own
// mapping templates stop at the same depth).
constexpr size_t kMaxBodyDepth = 100;
constexpr const char* kModelsMember = "x-cdnlab-models";

std::string text(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return std::string(b.GetString(), b.GetSize());
}

// Depth of a parsed value, without recursion.
size_t depthOf(const rapidjson::Value& root) {
  std::vector<std::pair<const rapidjson::Value*, size_t>> stack{{&root, 1}};
  size_t deepest = 0;
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, d);
    if (d > kMaxSchemaDepth) break;
    if (v->IsObject())
      for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) stack.emplace_back(&it->value, d + 1);
    else if (v->IsArray())
      for (const auto& e : v->GetArray()) stack.emplace_back(&e, d + 1);
  }
  return deepest;
}

// The name a $ref to another model of the API names, or "" ("#/definitions/N",
// "#/components/schemas/N", "https://apigateway.amazonaws.com/restapis/<id>/models/N").
std::string modelOfRef(std::string_view ref) {
  for (std::string_view p : {"#/definitions/", "#/components/schemas/"})
    if (ref.rfind(p, 0) == 0 && ref.size() > p.size() && ref.find('/', p.size()) == std::string_view::npos)
      return std::string(ref.substr(p.size()));
  constexpr std::string_view kAws = "https://apigateway.amazonaws.com/restapis/";
  if (ref.rfind(kAws, 0) == 0) {
    size_t m = ref.find("/models/", kAws.size());
    if (m != std::string_view::npos && ref.find('/', m + 8) == std::string_view::npos) return std::string(ref.substr(m + 8));
  }
  return "";
}

// Points references to other models at #/x-cdnlab-models/<name> (iteratively).
void rewriteRefs(rapidjson::Value& root, const std::set<std::string>& names, rapidjson::Document::AllocatorType& a) {
  std::vector<rapidjson::Value*> stack{&root};
  while (!stack.empty()) {
    rapidjson::Value* v = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
        if (std::string_view(it->name.GetString()) == "$ref" && it->value.IsString()) {
          std::string name = modelOfRef(std::string_view(it->value.GetString(), it->value.GetStringLength()));
          if (!name.empty() && names.count(name)) {
            std::string local = std::string("#/") + kModelsMember + "/" + name;
            it->value.SetString(local.data(), static_cast<rapidjson::SizeType>(local.size()), a);
          }
        } else {
          stack.push_back(&it->value);
        }
      }
    } else if (v->IsArray()) {
      for (auto& e : v->GetArray()) stack.push_back(&e);
    }
  }
}

// RapidJSON resolves a chain of local $ref-only schemas recursively: a cycle of them never ends.
Result<bool> checkRefChains(const rapidjson::Document& doc) {
  std::vector<const rapidjson::Value*> stack{&doc};
  while (!stack.empty()) {
    const rapidjson::Value* v = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      const rapidjson::Value* at = v;
      for (size_t hops = 0;; ++hops) {
        auto ref = at->FindMember("$ref");
        if (ref == at->MemberEnd() || !ref->value.IsString() || ref->value.GetString()[0] != '#') break;
        if (hops == kMaxRefChain) return Error{400, "circular or too long a chain of $ref"};
        rapidjson::Pointer p(ref->value.GetString() + 1, ref->value.GetStringLength() - 1);
        const rapidjson::Value* next = p.IsValid() ? p.Get(doc) : nullptr;
        if (!next || !next->IsObject()) break;
        at = next;
      }
      for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) stack.push_back(&it->value);
    } else if (v->IsArray()) {
      for (const auto& e : v->GetArray()) stack.push_back(&e);
    }
  }
  return true;
}

const char* typeName(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "boolean";
  if (v.IsObject()) return "object";
  if (v.IsArray()) return "array";
  if (v.IsString()) return "string";
  return v.IsInt64() || v.IsUint64() ? "integer" : "number";
}

// The reason in the words of the validator API Gateway reports with, for the common keywords.
std::string describe(const CompiledModel& m, const rapidjson::SchemaValidator& v, const rapidjson::Document& body) {
  std::string keyword = v.GetInvalidSchemaKeyword();
  rapidjson::StringBuffer sp, dp;
  v.GetInvalidSchemaPointer().StringifyUriFragment(sp);
  v.GetInvalidDocumentPointer().StringifyUriFragment(dp);
  const rapidjson::Value* schema = v.GetInvalidSchemaPointer().Get(m.source);
  const rapidjson::Value* inst = v.GetInvalidDocumentPointer().Get(body);
  auto rule = [&](const char* k) -> const rapidjson::Value* {
    if (!schema || !schema->IsObject()) return nullptr;
    auto it = schema->FindMember(k);
    return it == schema->MemberEnd() ? nullptr : &it->value;
  };
  const rapidjson::Value* r = rule(keyword.c_str());
  std::string out;
  if (keyword == "required" && r && r->IsArray() && inst && inst->IsObject()) {
    std::string missing;
    for (const auto& n : r->GetArray())
      if (n.IsString() && !inst->HasMember(n)) missing += (missing.empty() ? "" : ",") + text(n);
    out = "object has missing required properties ([" + missing + "])";
  } else if (keyword == "type" && r && inst) {
    out = std::string("instance type (") + typeName(*inst) + ") does not match any allowed primitive type (allowed: [" +
          (r->IsArray() ? text(*r).substr(1, text(*r).size() - 2) : text(*r)) + "])";
  } else if (keyword == "minimum" && r && inst) {
    out = "numeric instance is lower than the required minimum (minimum: " + text(*r) + ", found: " + text(*inst) + ")";
  } else if (keyword == "maximum" && r && inst) {
    out = "numeric instance is greater than the required maximum (maximum: " + text(*r) + ", found: " + text(*inst) + ")";
  } else if (keyword == "enum" && r && inst) {
    out = "instance value (" + text(*inst) + ") not found in enum (possible values: " + text(*r) + ")";
  } else if (keyword == "minLength" && r && inst && inst->IsString()) {
    out = "string " + text(*inst) + " is too short (length: " + std::to_string(inst->GetStringLength()) +
          ", required minimum: " + text(*r) + ")";
  } else if (keyword == "maxLength" && r && inst && inst->IsString()) {
    out = "string " + text(*inst) + " is too long (length: " + std::to_string(inst->GetStringLength()) +
          ", maximum allowed: " + text(*r) + ")";
  } else if (keyword == "pattern" && r && inst) {
    out = "ECMA 262 regex " + text(*r) + " does not match input string " + text(*inst);
  } else if (keyword == "additionalProperties") {
    // RapidJSON points at the first property not allowed; the reason names it, at its object.
    const auto& p = v.GetInvalidDocumentPointer();
    size_t n = p.GetTokenCount();
    std::string name = n ? std::string(p.GetTokens()[n - 1].name, p.GetTokens()[n - 1].length) : "";
    out = "object instance has properties which are not allowed by the schema: [" +
          text(rapidjson::Value(rapidjson::StringRef(name.c_str(), name.size()))) + "]";
    std::string where = dp.GetString();
    size_t slash = where.rfind('/');
    if (slash != std::string::npos && slash > 1) out += " at " + where.substr(1, slash - 1);
    return "[" + out + "]";
  } else {
    out = "instance failed to match the schema's '" + keyword + "' rule";
  }
  std::string where = dp.GetString();
  if (!where.empty() && where != "#") out += " at " + where.substr(1);
  return "[" + out + "]";
}

}  // namespace

Result<bool> checkModelSchema(const std::string& name, const std::string& schema) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(schema.data(), schema.size());
  if (doc.HasParseError())
    return Error{400, "Invalid model specified: model " + name + ": schema is not JSON: " +
                          rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " + std::to_string(doc.GetErrorOffset())};
  if (!doc.IsObject()) return Error{400, "Invalid model specified: model " + name + ": schema must be a JSON object"};
  if (depthOf(doc) > kMaxSchemaDepth)
    return Error{400, "Invalid model specified: model " + name + ": schema nested deeper than " + std::to_string(kMaxSchemaDepth)};
  return true;
}

Result<ModelMap> compileModels(const std::vector<RestModelSchema>& models) {
  std::set<std::string> names;
  for (const auto& m : models) {
    if (auto c = checkModelSchema(m.name, m.schema); !c) return c.error();
    names.insert(m.name);
  }
  ModelMap out;
  for (const auto& m : models) {
    auto cm = std::make_shared<CompiledModel>();
    cm->name = m.name;
    auto& doc = cm->source;
    auto& a = doc.GetAllocator();
    doc.Parse<rapidjson::kParseIterativeFlag>(m.schema.data(), m.schema.size());
    // Every model of the API beside this one, so references between models resolve locally.
    rapidjson::Value all(rapidjson::kObjectType);
    for (const auto& other : models) {
      rapidjson::Document od(&a);
      od.Parse<rapidjson::kParseIterativeFlag>(other.schema.data(), other.schema.size());
      rapidjson::Value copy(od, a);
      all.AddMember(rapidjson::Value(other.name.c_str(), a), copy, a);
    }
    doc.RemoveMember(kModelsMember);
    doc.AddMember(rapidjson::StringRef(kModelsMember), all, a);
    rewriteRefs(doc, names, a);
    if (auto c = checkRefChains(doc); !c) return Error{400, "Invalid model specified: model " + m.name + ": " + c.error().message};
    cm->schema = std::make_unique<rapidjson::SchemaDocument>(doc);
    out.emplace(m.name, std::move(cm));
  }
  return out;
}

std::vector<std::string> missingRequiredParameters(const std::map<std::string, bool>& requestParameters,
                                                   const std::function<bool(std::string_view)>& present) {
  std::vector<std::string> out;
  for (const auto& [name, required] : requestParameters) {
    if (!required || present(name)) continue;
    size_t dot = name.rfind('.');
    for (std::string_view p : {"method.request.querystring.", "method.request.header.", "method.request.path.",
                               "method.request.multivaluequerystring.", "method.request.multivalueheader."})
      if (name.rfind(p, 0) == 0) dot = p.size() - 1;
    out.push_back(dot == std::string::npos ? name : name.substr(dot + 1));
  }
  return out;
}

std::string missingParametersMessage(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return "Missing required request parameters: [" + list + "]";
}

// Deepest nesting of '[' / '{' outside strings (a cheap scan; malformed JSON is the parser's to report).
static size_t nestingOf(std::string_view s) {
  size_t depth = 0, deepest = 0;
  bool inString = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::optional<std::string> validateBody(const CompiledModel& model, std::string_view body) {
  if (nestingOf(body) > kMaxBodyDepth) return "[JSON nested deeper than " + std::to_string(kMaxBodyDepth) + " levels]";
  std::string textBody(body.empty() ? std::string_view("{}") : body);
  std::lock_guard<std::mutex> lock(model.mu);
  rapidjson::SchemaValidator validator(*model.schema);
  rapidjson::Reader reader;
  rapidjson::StringStream ss(textBody.c_str());
  // SAX straight into the validator, iteratively: a deeply nested body costs heap, not stack.
  rapidjson::ParseResult ok = reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(ss, validator);
  if (!validator.IsValid()) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(textBody.c_str(), textBody.size());
    return describe(model, validator, doc);
  }
  if (!ok) return std::string("[Invalid JSON: ") + rapidjson::GetParseError_En(ok.Code()) + " at offset " + std::to_string(ok.Offset()) + "]";
  for (size_t i = ss.Tell(); i < textBody.size(); ++i)
    if (!std::isspace(static_cast<unsigned char>(textBody[i]))) return std::string("[Invalid JSON: text after the value]");
  return std::nullopt;
}

}  // namespace cdnlab::gateway
