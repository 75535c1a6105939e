#include "geo/mmdb_writer.h"

#include <cstdio>
#include <ctime>
#include <fstream>

namespace cdnlab::geo {
namespace {

constexpr char kMetadataMarker[] = "\xAB\xCD\xEFMaxMind.com";  // 14 bytes, the spec's start-of-metadata

void putRecords(std::string& out, int recordBits, uint32_t left, uint32_t right) {
  auto put24 = [&](uint32_t v) {
    out.push_back(static_cast<char>(v >> 16));
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v));
  };
  switch (recordBits) {
    case 24:
      put24(left), put24(right);
      break;
    case 28:
      // The middle byte carries the top nibble of each record: left's high, right's low.
      put24(left & 0xFFFFFF);
      out.push_back(static_cast<char>(((left >> 24) & 0xF) << 4 | ((right >> 24) & 0xF)));
      put24(right & 0xFFFFFF);
      break;
    default:
      for (uint32_t v : {left, right})
        for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
  }
}

}  // namespace

MmdbWriter::MmdbWriter(MmdbWriterOptions options) : options_(std::move(options)) { nodes_.push_back({}); }

Result<bool> MmdbWriter::insert(const IpNetwork& net, const MmdbValue& data) {
  if (options_.ipVersion == 4 && !net.v4)
    return Error{0, "cannot insert IPv6 network " + net.str() + " into an IPv4 database"};

  std::string encoded;
  data.encode(encoded);
  auto [it, added] = dataIndex_.try_emplace(encoded, static_cast<uint32_t>(data_.size()));
  if (added) data_.push_back(std::move(encoded));
  const Record leaf{Record::Data, it->second};

  // IPv4 databases are 32 levels deep; IPv6 ones 128, with IPv4 under ::/96.
  const int skip = options_.ipVersion == 4 ? 96 : 0;
  const int depth = (options_.ipVersion == 4 ? net.prefix : net.prefix128());
  ++inserted_;
  if (depth == 0) {  // the whole address space
    nodes_[0].child[0] = nodes_[0].child[1] = leaf;
    return true;
  }
  uint32_t node = 0;
  for (int d = 0; d < depth; ++d) {
    const int bit = net.bit128(skip + d);
    const Record r = nodes_[node].child[bit];
    if (d == depth - 1) {
      nodes_[node].child[bit] = leaf;  // whatever was below is replaced (and dropped on write)
      break;
    }
    if (r.kind == Record::Node) {
      node = r.index;
      continue;
    }
    // Empty or data: split it, so the rest of that range keeps what it had.
    const auto child = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(Node{{r, r}});
    nodes_[node].child[bit] = Record{Record::Node, child};
    node = child;
  }
  return true;
}

std::string MmdbWriter::serialize() const {
  // Number the reachable nodes in depth-first order (the root must be node 0).
  std::vector<int64_t> number(nodes_.size(), -1);
  std::vector<uint32_t> order;
  std::vector<uint32_t> stack{0};
  while (!stack.empty()) {
    const uint32_t n = stack.back();
    stack.pop_back();
    number[n] = static_cast<int64_t>(order.size());
    order.push_back(n);
    for (int b = 1; b >= 0; --b)
      if (nodes_[n].child[b].kind == Record::Node) stack.push_back(nodes_[n].child[b].index);
  }
  const auto nodeCount = static_cast<uint32_t>(order.size());

  // Only records still reachable go into the data section.
  std::vector<int64_t> offset(data_.size(), -1);
  std::string dataSection;
  for (uint32_t n : order)
    for (const Record& r : nodes_[n].child)
      if (r.kind == Record::Data && offset[r.index] < 0) {
        offset[r.index] = static_cast<int64_t>(dataSection.size());
        dataSection += data_[r.index];
      }

  const uint64_t maxRecord = uint64_t{nodeCount} + 16 + dataSection.size();
  int recordBits = maxRecord < (1u << 24) ? 24 : maxRecord < (1u << 28) ? 28 : 32;
  if (options_.recordSize > recordBits) recordBits = options_.recordSize;  // wider always fits

  auto value = [&](const Record& r) -> uint32_t {
    switch (r.kind) {
      case Record::Empty: return nodeCount;
      case Record::Node: return static_cast<uint32_t>(number[r.index]);
      case Record::Data: return static_cast<uint32_t>(nodeCount + 16 + offset[r.index]);
    }
    return nodeCount;
  };

  std::string out;
  out.reserve(nodeCount * recordBits / 4 + 16 + dataSection.size() + 256);
  for (uint32_t n : order) putRecords(out, recordBits, value(nodes_[n].child[0]), value(nodes_[n].child[1]));
  out.append(16, '\0');  // the data section separator
  out += dataSection;

  MmdbValue meta = MmdbValue::map();
  MmdbValue description = MmdbValue::map();
  for (const auto& [lang, text] : options_.description) description.set(lang, MmdbValue::utf8(text));
  MmdbValue languages = MmdbValue::array();
  for (const auto& l : options_.languages) languages.push(MmdbValue::utf8(l));
  meta.set("binary_format_major_version", MmdbValue::uint16(2))
      .set("binary_format_minor_version", MmdbValue::uint16(0))
      .set("build_epoch", MmdbValue::uint64(options_.buildEpoch ? options_.buildEpoch
                                                                  : static_cast<uint64_t>(std::time(nullptr))))
      .set("database_type", MmdbValue::utf8(options_.databaseType))
      .set("description", std::move(description))
      .set("ip_version", MmdbValue::uint16(static_cast<uint16_t>(options_.ipVersion)))
      .set("languages", std::move(languages))
      .set("node_count", MmdbValue::uint32(nodeCount))
      .set("record_size", MmdbValue::uint16(static_cast<uint16_t>(recordBits)));
  out.append(kMetadataMarker, sizeof kMetadataMarker - 1);
  meta.encode(out);
  return out;
}

Result<bool> MmdbWriter::writeFile(const std::string& path) const {
  const std::string bytes = serialize();
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Error{0, "cannot write " + tmp};
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f.flush()) return Error{0, "cannot write " + tmp};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error{0, "cannot rename " + tmp + " to " + path};
  }
  return true;
}

}  // namespace cdnlab::geo
