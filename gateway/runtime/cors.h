// CORS for HTTP APIs as API Gateway applies an API's corsConfiguration: it answers preflight
// requests itself (even without an OPTIONS route) and sets the Access-Control-* headers on every
// answer to an allowed origin, replacing any the integration sent. Pure.
#pragma once

#include <string_view>

#include "common/http/message.h"
#include "gateway/model/api_model.h"

namespace cdnlab::gateway {

// A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
bool isPreflight(const http::Request& req);
// The preflight answer (204; CORS headers only when origin, method and headers are allowed).
http::Response preflightResponse(const Cors& cors, const http::Request& req);
// Adds Access-Control-Allow-Origin / -Credentials / -Expose-Headers to an actual answer.
void applyCors(const Cors& cors, const http::Request& req, http::Response& resp);

}  // namespace cdnlab::gateway
