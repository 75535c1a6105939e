// Small pieces every apigateway (v1) management handler uses: lists as {"item": [...]}, AWS's
// error answers, finding an API in the state, the clock in epoch seconds as dates are sent.
#pragma once

#include <string>
#include <vector>

#include "common/http/message.h"
#include "common/result.h"
#include "gateway/json.h"
#include "gateway/mgmt/mgmt_response.h"
#include "gateway/rest/rest_model.h"

namespace cdnlab::gateway {

inline int64_t nowSeconds() { return wallMs() / 1000; }

template <typename T, typename Fn>
http::Response itemList(const std::vector<T>& items, Fn&& write) {
  return jsonResponse(200, renderJson([&](JsonWriter& w) {
                        w.StartObject();
                        jkey(w, "item");
                        w.StartArray();
                        for (const auto& i : items) write(w, i);
                        w.EndArray();
                        w.EndObject();
                      }));
}

inline http::Response fail(const Error& e) { return awsErrorFor(e.code, e.message); }
inline http::Response accepted() { return jsonResponse(202, ""); }
inline http::Response methodNotAllowed() { return awsError(405, "MethodNotAllowedException", "Method not allowed"); }

inline RestApi* findApi(RestState& s, const std::string& id) {
  for (auto& a : s.apis)
    if (a.id == id) return &a;
  return nullptr;
}
inline Error apiNotFound(const std::string& id) { return Error{404, "Invalid API identifier specified 123456789012:" + id}; }

}  // namespace cdnlab::gateway
