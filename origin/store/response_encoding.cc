// Accept-Encoding negotiation and gzip / deflate encoding of answers (see response_encoding.h).
#include "origin/store/response_encoding.h"

#include <libdeflate.h>

#include <cstdlib>
#include <memory>

#include "common/http/message.h"

namespace cdnlab::store {
namespace {

// The q of one entry's parameters ("q=0.5", " q = 0.5", "nq=1" ignored): the first q counts.
double qualityOf(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = http::trimOws(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = p.find('=');
    if (eq == std::string_view::npos || !http::equalsIgnoreCase(http::trimOws(p.substr(0, eq)), "q")) continue;
    std::string v(http::trimOws(p.substr(eq + 1)));
    if (v.empty() || v.size() > 32) return 1;
    char* end = nullptr;
    double q = std::strtod(v.c_str(), &end);
    if (end != v.c_str() + v.size()) return 1;  // unreadable: as if absent
    return q <= 0 ? 0 : q > 1 ? 1 : q;
  }
  return 1;
}

struct Offer {
  double q = -1;  // -1: not named
  size_t position = 0;
};

}  // namespace

std::optional<std::string_view> chooseContentCoding(std::string_view header) {
  Offer gzip, deflate, star;
  size_t position = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view entry = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t semi = entry.find(';');
    std::string_view token = http::trimOws(entry.substr(0, semi));
    double q = qualityOf(semi == std::string_view::npos ? std::string_view() : entry.substr(semi + 1));
    Offer* o = http::equalsIgnoreCase(token, "gzip") ? &gzip : http::equalsIgnoreCase(token, "deflate") ? &deflate
                                                    : token == "*" ? &star : nullptr;
    ++position;
    if (!o) continue;
    if (o->q < 0) o->position = position;
    if (q > o->q) o->q = q;  // a coding named twice counts with its best q
  }
  // A coding not named takes "*"'s q, ranked after the named ones.
  struct Choice {
    std::string_view name;
    double q;
    bool named;
    size_t position;
  };
  auto choice = [&](std::string_view name, const Offer& o) {
    return o.q >= 0 ? Choice{name, o.q, true, o.position} : Choice{name, star.q, false, star.position};
  };
  Choice g = choice("gzip", gzip), d = choice("deflate", deflate);
  auto better = [](const Choice& a, const Choice& b) {  // a preferred over b
    if (a.q != b.q) return a.q > b.q;
    if (a.named != b.named) return a.named;
    if (a.named && a.position != b.position) return a.position < b.position;
    return a.name == "gzip";
  };
  const Choice& best = better(g, d) ? g : d;
  if (best.q <= 0) return std::nullopt;
  return best.name;
}

std::optional<std::string> encodeBody(std::string_view body, std::string_view coding) {
  struct Free {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };
  // Level 1: answers are compressed on the request's thread, and JSON compresses well at any level.
  static thread_local std::unique_ptr<libdeflate_compressor, Free> compressor(libdeflate_alloc_compressor(1));
  if (!compressor) return std::nullopt;
  const bool gzip = coding == "gzip";
  size_t bound = gzip ? libdeflate_gzip_compress_bound(compressor.get(), body.size())
                      : libdeflate_zlib_compress_bound(compressor.get(), body.size());
  std::string out(bound, '\0');
  size_t n = gzip ? libdeflate_gzip_compress(compressor.get(), body.data(), body.size(), out.data(), out.size())
                  : libdeflate_zlib_compress(compressor.get(), body.data(), body.size(), out.data(), out.size());
  if (n == 0) return std::nullopt;
  out.resize(n);
  return out;
}

}  // namespace cdnlab::store
