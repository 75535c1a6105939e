// IP networks in CIDR form ("127.10.0.0/16", "2001:db8::/32"): parsed once, compared and
// checked for overlap by the topology loader, inserted into the search tree by the MaxMind DB
// writer. IPv4 and IPv6 are both held as 16 bytes (IPv4 in the low 4), as the MaxMind tree
// does with its "IPv4 in ::/96" subtree.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cdnlab::geo {

struct IpNetwork {
  bool v4 = true;
  std::array<uint8_t, 16> bytes{};  // IPv4: bytes[12..15]; bits past the prefix are zero
  int prefix = 0;                   // 0..32 for IPv4, 0..128 for IPv6

  // The prefix on the 128-bit scale (IPv4 /16 -> 112): the depth in an IPv6 tree.
  int prefix128() const { return v4 ? prefix + 96 : prefix; }
  // Bit i (0 = most significant) of the 128-bit form.
  int bit128(int i) const { return (bytes[i / 8] >> (7 - i % 8)) & 1; }
  // True when `other` shares any address with this network (same family only).
  bool overlaps(const IpNetwork& other) const;
  // True when this network lies wholly inside `outer`.
  bool within(const IpNetwork& outer) const;
  std::string str() const;  // canonical "a.b.c.d/n" or "x::/n"
  bool operator==(const IpNetwork&) const = default;
};

// "a.b.c.d/n", "x:y::/n", or a bare address (a /32 or /128). Host bits set below the prefix
// are an error ("127.10.0.1/16" is almost always a typo for a host or a network), reported in
// `why`.
std::optional<IpNetwork> parseNetwork(std::string_view text, std::string* why = nullptr);

// A single address as a /32 or /128 network; nullopt if it is not an IP literal.
std::optional<IpNetwork> parseAddress(std::string_view text);

}  // namespace cdnlab::geo
