// Shared request pieces of the item operations.
#include "origin/store/ops_common.h"

#include "origin/store/json_out.h"
#include "origin/store/model/attribute_name.h"
#include "origin/store/model/json.h"

namespace cdnlab::store {

ApiError fromExpr(const Error& e) { return validation(e.message); }

bool checkAllUsed(const expr::Placeholders& ph, ApiError& err) {
  if (auto u = ph.checkUnused(); !u) {
    err = fromExpr(u.error());
    return false;
  }
  return true;
}

bool parseOptionalCondition(const rapidjson::Value& o, const char* name, expr::ExpressionKind kind,
                            expr::Placeholders& ph, std::optional<expr::Condition>& out, ApiError& err) {
  auto text = stringMember(o, name, err);
  if (!err.type.empty()) return false;
  if (!text) return true;
  auto c = expr::parseCondition(*text, ph, kind);
  if (!c) {
    err = fromExpr(c.error());
    return false;
  }
  out = std::move(*c);
  return true;
}

bool parseOptionalProjection(const rapidjson::Value& o, expr::Placeholders& ph, std::optional<expr::Projection>& out,
                             ApiError& err) {
  auto text = stringMember(o, "ProjectionExpression", err);
  if (!err.type.empty()) return false;
  if (!text) return true;
  auto p = expr::parseProjection(*text, ph);
  if (!p) {
    err = fromExpr(p.error());
    return false;
  }
  out = std::move(*p);
  return true;
}

bool readAttributesToGet(const rapidjson::Value& o, std::optional<expr::Projection>& out, ApiError& err) {
  const auto* a = member(o, "AttributesToGet");
  if (!a) return true;
  if (out) {
    err = validation("Can not use both expression and non-expression parameters in the same request: "
                     "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
    return false;
  }
  if (!a->IsArray() || a->Size() == 0) {
    err = constraintError("[]", "attributesToGet", "Member must have length greater than or equal to 1");
    return false;
  }
  expr::Projection p;
  for (const auto& n : a->GetArray()) {
    if (!n.IsString()) continue;
    if (n.GetStringLength() > kMaxAttributeNameBytes) {
      err = validation(kAttributeNameTooLarge);
      return false;
    }
    expr::Path path;
    path.elements.push_back(expr::PathElement{n.GetString(), -1});
    p.paths.push_back(std::move(path));
  }
  out = std::move(p);
  return true;
}

bool checkDuplicateAttributesToGet(const rapidjson::Value& o, ApiError& err) {
  const auto* a = member(o, "AttributesToGet");
  if (!a || !a->IsArray()) return true;
  std::vector<std::string_view> seen;
  for (const auto& n : a->GetArray()) {
    if (!n.IsString()) continue;
    std::string_view s(n.GetString(), n.GetStringLength());
    for (auto x : seen) {
      if (x == s) {
        err = validation("One or more parameter values were invalid: Duplicate value in attribute name: " + std::string(s));
        return false;
      }
    }
    seen.push_back(s);
  }
  return true;
}

bool rejectLegacy(const rapidjson::Value& o, std::initializer_list<const char*> names, ApiError& err) {
  for (const char* n : names) {
    if (member(o, n)) {
      err = validation(std::string("The legacy parameter ") + n + " is not supported by this store; use the expression parameters");
      return false;
    }
  }
  return true;
}

bool readReturnValues(const rapidjson::Value& o, bool updateAllowed, ReturnValues& rv, ApiError& err) {
  rv = ReturnValues::None;
  auto v = stringMember(o, "ReturnValues", err);
  if (!err.type.empty()) return false;
  if (!v || *v == "NONE") return true;
  if (*v == "ALL_OLD") rv = ReturnValues::AllOld;
  else if (*v == "UPDATED_OLD") rv = ReturnValues::UpdatedOld;
  else if (*v == "ALL_NEW") rv = ReturnValues::AllNew;
  else if (*v == "UPDATED_NEW") rv = ReturnValues::UpdatedNew;
  else {
    err = constraintError(*v, "returnValues", "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
    return false;
  }
  if (!updateAllowed && rv != ReturnValues::AllOld) {
    err = validation("ReturnValues can only be ALL_OLD or NONE");
    return false;
  }
  return true;
}

bool readReturnOnFailure(const rapidjson::Value& o, bool& allOld, ApiError& err) {
  allOld = false;
  auto v = stringMember(o, "ReturnValuesOnConditionCheckFailure", err);
  if (!err.type.empty()) return false;
  if (!v || *v == "NONE") return true;
  if (*v == "ALL_OLD") {
    allOld = true;
    return true;
  }
  err = constraintError(*v, "returnValuesOnConditionCheckFailure", "Member must satisfy enum value set: [ALL_OLD, NONE]");
  return false;
}

ApiError conditionFailedWith(const Item* old, bool returnOld) {
  ApiError e = conditionFailed();
  if (returnOld && old) {
    e.extraJson = "\"Item\":" + toJson(*old);
    // DynamoDB's answer carrying the item spells the member "Message" (botocore then has no
    // top-level "message" in the parsed error, as in responses recorded from AWS).
    e.capitalMessage = true;
  }
  return e;
}

bool wantsCollectionMetrics(const rapidjson::Value& o, ApiError& err) {
  auto v = stringMember(o, "ReturnItemCollectionMetrics", err);
  if (!v || *v == "NONE") return false;
  if (*v != "SIZE") {
    err = constraintError(*v, "returnItemCollectionMetrics", "Member must satisfy enum value set: [SIZE, NONE]");
    return false;
  }
  return true;
}

void writeCollectionMetrics(JsonWriter& w, const TableDesc& t, const Item& item) {
  w.StartObject();
  key(w, "ItemCollectionKey");
  w.StartObject();
  auto h = item.find(t.key.hashName());
  if (h != item.end()) {
    key(w, h->first);
    writeAttributeValue(h->second, w);
  }
  w.EndObject();
  // An estimate as DynamoDB gives one: the collection is well under 1 GB here.
  key(w, "SizeEstimateRangeGB");
  w.StartArray();
  w.Double(0.0);
  w.Double(1.0);
  w.EndArray();
  w.EndObject();
}

}  // namespace cdnlab::store
