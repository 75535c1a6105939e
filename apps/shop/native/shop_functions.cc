// The shop's three functions for the native runtime (cdnlab-native), the same behaviour as the
// Node.js ones in configs/shop/functions/: `get-product`, `list-category` (through the
// `by-category` GSI), `place-order` (TransactWriteItems: a conditional stock update and a
// conditional put of the order). API Gateway payload 2.0 events in, proxy answers out.
#include <fcntl.h>
#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "apps/shop/native/dynamo_http.h"
#include "lambda/native/cdnlab_native.h"

namespace cdnlab::shop {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string envOr(const char* name, const char* def) {
  const char* v = std::getenv(name);
  return v && *v ? v : def;
}

bool isId(const std::string& s, size_t max, bool lowerOnly) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    const bool ok = lowerOnly ? (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')
                              : (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    if (!ok) return false;
  }
  return true;
}

std::string member(const rapidjson::Value& v, const char* outer, const char* inner) {
  if (!v.IsObject() || !v.HasMember(outer) || !v[outer].IsObject()) return "";
  const auto& o = v[outer];
  if (!o.HasMember(inner) || !o[inner].IsString()) return "";
  return o[inner].GetString();
}

// A DynamoDB AttributeValue as plain JSON (what the DocumentClient gives the Node.js version).
void writePlain(Writer& w, const rapidjson::Value& av) {
  if (!av.IsObject() || av.MemberCount() != 1) {
    w.Null();
    return;
  }
  const auto& m = *av.MemberBegin();
  const std::string type = m.name.GetString();
  const auto& v = m.value;
  if (type == "S" && v.IsString()) w.String(v.GetString(), v.GetStringLength());
  else if (type == "N" && v.IsString()) w.RawValue(v.GetString(), v.GetStringLength(), rapidjson::kNumberType);
  else if (type == "BOOL" && v.IsBool()) w.Bool(v.GetBool());
  else if (type == "M" && v.IsObject()) {
    w.StartObject();
    for (const auto& e : v.GetObject()) {
      w.Key(e.name.GetString(), e.name.GetStringLength());
      writePlain(w, e.value);
    }
    w.EndObject();
  } else if (type == "L" && v.IsArray()) {
    w.StartArray();
    for (const auto& e : v.GetArray()) writePlain(w, e);
    w.EndArray();
  } else {
    w.Null();
  }
}

// Answers a proxy response {statusCode, headers, body}.
int answer(const cdnlab_native_context* ctx, int status, const std::string& body, const char* cacheControl) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("statusCode"); w.Int(status);
  w.Key("headers");
  w.StartObject();
  w.Key("content-type"); w.String("application/json");
  w.Key("cache-control"); w.String(cacheControl);
  w.EndObject();
  w.Key("body"); w.String(body.c_str(), static_cast<rapidjson::SizeType>(body.size()));
  w.EndObject();
  char* out = ctx->alloc_response(ctx->host, b.GetSize());
  if (!out) {
    ctx->set_error(ctx->host, "Function.ResponseSizeTooLarge", "response too large");
    return CDNLAB_NATIVE_ERROR;
  }
  std::memcpy(out, b.GetString(), b.GetSize());
  return CDNLAB_NATIVE_OK;
}

std::string message(const std::string& text) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("message");
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  w.EndObject();
  return b.GetString();
}

// A store failure is the function's error (the gateway answers 500), as an SDK exception would be.
int storeFailure(const cdnlab_native_context* ctx, const DynamoReply& r) {
  const std::string what = r.status == 0 ? r.error : "HTTP " + std::to_string(r.status) + " " + r.errorType + ": " + r.body.substr(0, 200);
  ctx->set_error(ctx->host, r.status == 0 ? "NetworkingError" : (r.errorType.empty() ? "DynamoDBError" : r.errorType.c_str()),
                 what.c_str());
  return CDNLAB_NATIVE_ERROR;
}

bool parseEvent(const cdnlab_native_context* ctx, const char* event, size_t len, rapidjson::Document& d) {
  // Iterative: an event (and an order's body below) comes from any client, and the recursive
  // parser would overflow the stack on a deep one; nothing here walks either tree recursively.
  d.Parse<rapidjson::kParseIterativeFlag>(event, len);
  if (d.HasParseError() || !d.IsObject()) {
    ctx->set_error(ctx->host, "InvalidEvent", "the event is not a JSON object");
    return false;
  }
  return true;
}

std::string jsonString(const std::string& s) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return b.GetString();
}

int getProduct(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  rapidjson::Document e;
  if (!parseEvent(ctx, event, len, e)) return CDNLAB_NATIVE_ERROR;
  const std::string id = member(e, "pathParameters", "id");
  if (!isId(id, 64, false)) return answer(ctx, 400, message("invalid product id"), "no-store");
  const std::string table = envOr("PRODUCTS_TABLE", "products");
  DynamoReply r = dynamoCall("GetItem", "{\"TableName\":" + jsonString(table) + ",\"Key\":{\"id\":{\"S\":" + jsonString(id) + "}}}",
                             ctx->remaining_time_ms(ctx->host));
  if (r.status != 200) return storeFailure(ctx, r);
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("Item"))
    return answer(ctx, 404, message("no product " + id), "public, max-age=10");
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  for (const auto& m : d["Item"].GetObject()) {
    w.Key(m.name.GetString(), m.name.GetStringLength());
    writePlain(w, m.value);
  }
  w.EndObject();
  return answer(ctx, 200, b.GetString(), "public, max-age=60");
}

int listCategory(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  rapidjson::Document e;
  if (!parseEvent(ctx, event, len, e)) return CDNLAB_NATIVE_ERROR;
  const std::string category = member(e, "pathParameters", "c");
  if (!isId(category, 32, true)) return answer(ctx, 400, message("invalid category"), "no-store");
  const std::string limitText = member(e, "queryStringParameters", "limit");
  long limit = limitText.empty() ? 20 : std::strtol(limitText.c_str(), nullptr, 10);
  if (limit < 1) limit = limitText.empty() ? 20 : 1;
  if (limit > 50) limit = 50;
  const std::string body = "{\"TableName\":" + jsonString(envOr("PRODUCTS_TABLE", "products")) +
                           ",\"IndexName\":" + jsonString(envOr("CATEGORY_INDEX", "by-category")) +
                           ",\"KeyConditionExpression\":\"category = :c\",\"ExpressionAttributeValues\":{\":c\":{\"S\":" +
                           jsonString(category) + "}},\"Limit\":" + std::to_string(limit) + "}";
  DynamoReply r = dynamoCall("Query", body, ctx->remaining_time_ms(ctx->host));
  if (r.status != 200) return storeFailure(ctx, r);
  rapidjson::Document d;
  d.Parse(r.body.c_str(), r.body.size());
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("category"); w.String(category.c_str());
  w.Key("items");
  w.StartArray();
  if (!d.HasParseError() && d.IsObject() && d.HasMember("Items") && d["Items"].IsArray())
    for (const auto& item : d["Items"].GetArray()) {
      if (!item.IsObject()) continue;
      w.StartObject();
      for (const auto& m : item.GetObject()) {
        w.Key(m.name.GetString(), m.name.GetStringLength());
        writePlain(w, m.value);
      }
      w.EndObject();
    }
  w.EndArray();
  w.EndObject();
  return answer(ctx, 200, b.GetString(), "public, max-age=5");
}

std::string randomUuid() {
  unsigned char b[16] = {};
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    (void)!::read(fd, b, sizeof b);
    ::close(fd);
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
                b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

std::string isoNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int placeOrder(const cdnlab_native_context* ctx, const char* event, size_t len, void*) {
  rapidjson::Document e;
  if (!parseEvent(ctx, event, len, e)) return CDNLAB_NATIVE_ERROR;
  if (e.HasMember("isBase64Encoded") && e["isBase64Encoded"].IsBool() && e["isBase64Encoded"].GetBool())
    return answer(ctx, 400, message("the body must be JSON"), "no-store");
  rapidjson::Document order;
  if (e.HasMember("body") && e["body"].IsString()) order.Parse<rapidjson::kParseIterativeFlag>(e["body"].GetString(), e["body"].GetStringLength());
  if (!e.HasMember("body") || !e["body"].IsString() || order.HasParseError() || !order.IsObject())
    return answer(ctx, 400, message("the body must be JSON"), "no-store");
  if (!order.HasMember("productId") || !order["productId"].IsString() || !isId(order["productId"].GetString(), 64, false))
    return answer(ctx, 400, message("productId must be a product id"), "no-store");
  if (!order.HasMember("quantity") || !order["quantity"].IsInt() || order["quantity"].GetInt() < 1 ||
      order["quantity"].GetInt() > 100)
    return answer(ctx, 400, message("quantity must be an integer from 1 to 100"), "no-store");
  const std::string productId = order["productId"].GetString();
  const std::string q = std::to_string(order["quantity"].GetInt());
  const std::string orderId = randomUuid();
  const std::string body =
      "{\"TransactItems\":["
      "{\"Update\":{\"TableName\":" + jsonString(envOr("PRODUCTS_TABLE", "products")) +
      ",\"Key\":{\"id\":{\"S\":" + jsonString(productId) +
      "}},\"UpdateExpression\":\"SET stock = stock - :q\",\"ConditionExpression\":\"attribute_exists(id) AND stock >= :q\","
      "\"ExpressionAttributeValues\":{\":q\":{\"N\":\"" + q + "\"}}}},"
      "{\"Put\":{\"TableName\":" + jsonString(envOr("ORDERS_TABLE", "orders")) +
      ",\"Item\":{\"orderId\":{\"S\":\"" + orderId + "\"},\"productId\":{\"S\":" + jsonString(productId) +
      "},\"quantity\":{\"N\":\"" + q + "\"},\"createdAt\":{\"S\":\"" + isoNow() +
      "\"}},\"ConditionExpression\":\"attribute_not_exists(orderId)\"}}]}";
  DynamoReply r = dynamoCall("TransactWriteItems", body, ctx->remaining_time_ms(ctx->host));
  if (r.status == 400 && r.errorType == "TransactionCanceledException")
    return answer(ctx, 409, message("out of stock or no such product"), "no-store");
  if (r.status != 200) return storeFailure(ctx, r);
  return answer(ctx, 201,
                "{\"orderId\":\"" + orderId + "\",\"productId\":" + jsonString(productId) + ",\"quantity\":" + q + "}",
                "no-store");
}

const cdnlab_native_function kFunctions[] = {
    {"get-product", getProduct, nullptr, 0},
    {"list-category", listCategory, nullptr, 0},
    {"place-order", placeOrder, nullptr, 0},
};
const cdnlab_native_module kModule = {CDNLAB_NATIVE_ABI_VERSION, 3, kFunctions};

}  // namespace
}  // namespace cdnlab::shop

extern "C" __attribute__((visibility("default"))) const cdnlab_native_module* cdnlab_native_get_module(void) {
  return &cdnlab::shop::kModule;
}
