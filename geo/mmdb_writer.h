// Writes MaxMind DB files (format spec 2.0): libmaxminddb only reads them and Debian ships no
// C/C++ writer, so `cdnlab geo build` makes its own. The file is
//
//   search tree | 16 zero bytes | data section | "\xAB\xCD\xEFMaxMind.com" | metadata map
//
// The tree is a binary trie over address bits; each node holds two records (left = bit 0,
// right = bit 1) of 24, 28 or 32 bits (the smallest that fits). A record is a node number
// (< node_count), "no data" (== node_count) or a pointer into the data section
// (node_count + 16 + offset). IPv6 databases keep IPv4 networks under ::/96 as GeoIP2 does, so
// libmaxminddb, mmdblookup and every other reader find IPv4 addresses in them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "geo/ip_network.h"
#include "geo/mmdb_value.h"

namespace cdnlab::geo {

struct MmdbWriterOptions {
  int ipVersion = 6;  // 6: IPv4 and IPv6 (IPv4 under ::/96); 4: IPv4 only
  std::string databaseType = "cdnlab-City";
  std::map<std::string, std::string> description;  // language -> text
  std::vector<std::string> languages{"en"};
  uint64_t buildEpoch = 0;  // seconds since the epoch; 0 = now (libmaxminddb rejects a 0 epoch)
  int recordSize = 0;       // 24, 28 or 32 bits; 0 = the smallest that fits (tests force others)
};

class MmdbWriter {
 public:
  explicit MmdbWriter(MmdbWriterOptions options = {});

  // Maps every address of `net` to `data`. A later insert wins where networks overlap (a
  // smaller network inside a larger one carves it). Fails for IPv6 networks in an IPv4 DB.
  Result<bool> insert(const IpNetwork& net, const MmdbValue& data);

  // The whole file.
  std::string serialize() const;
  // serialize() written to `path` (replaced atomically through a temporary file).
  Result<bool> writeFile(const std::string& path) const;

  size_t networkCount() const { return inserted_; }

 private:
  // A record while building: empty, a child node, or an index into data_.
  struct Record {
    enum Kind : uint8_t { Empty, Node, Data } kind = Empty;
    uint32_t index = 0;
  };
  struct Node {
    Record child[2];
  };

  MmdbWriterOptions options_;
  std::vector<Node> nodes_;        // nodes_[0] is the root; unreachable nodes are dropped on write
  std::vector<std::string> data_;  // encoded records, deduplicated
  std::map<std::string, uint32_t> dataIndex_;
  size_t inserted_ = 0;
};

}  // namespace cdnlab::geo
