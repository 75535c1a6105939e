#include "geo/ip_network.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace cdnlab::geo {
namespace {

// Is the common prefix of a and b, over the first `bits` bits (128-bit scale), equal?
bool samePrefix(const IpNetwork& a, const IpNetwork& b, int bits) {
  for (int i = 0; i < bits; ++i)
    if (a.bit128(i) != b.bit128(i)) return false;
  return true;
}

}  // namespace

bool IpNetwork::overlaps(const IpNetwork& other) const {
  if (v4 != other.v4) return false;
  return samePrefix(*this, other, std::min(prefix128(), other.prefix128()));
}

bool IpNetwork::within(const IpNetwork& outer) const {
  return v4 == outer.v4 && prefix >= outer.prefix && samePrefix(*this, outer, outer.prefix128());
}

std::string IpNetwork::str() const {
  char buf[INET6_ADDRSTRLEN];
  if (v4)
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  else
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(prefix);
}

std::optional<IpNetwork> parseAddress(std::string_view text) {
  IpNetwork n;
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), n.bytes.data() + 12) == 1) {
    n.v4 = true;
    n.prefix = 32;
    return n;
  }
  if (inet_pton(AF_INET6, s.c_str(), n.bytes.data()) == 1) {
    n.v4 = false;
    n.prefix = 128;
    return n;
  }
  return std::nullopt;
}

std::optional<IpNetwork> parseNetwork(std::string_view text, std::string* why) {
  auto fail = [&](std::string msg) -> std::optional<IpNetwork> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  const auto slash = text.find('/');
  auto net = parseAddress(text.substr(0, slash));
  if (!net) return fail("not an IP address: \"" + std::string(text.substr(0, slash)) + "\"");
  if (slash == std::string_view::npos) return net;
  const auto len = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  const int maxPrefix = net->v4 ? 32 : 128;
  if (ec != std::errc() || end != len.data() + len.size() || prefix < 0 || prefix > maxPrefix)
    return fail("prefix length must be 0.." + std::to_string(maxPrefix) + " (got \"" + std::string(len) + "\")");
  net->prefix = prefix;
  for (int i = net->prefix128(); i < 128; ++i)
    if (net->bit128(i)) return fail("host bits set below the /" + std::to_string(prefix) + " prefix");
  return net;
}

}  // namespace cdnlab::geo
