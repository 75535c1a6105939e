// Order-preserving encoding of item keys into RocksDB keys, so that byte order of the encoded key
// equals DynamoDB's order and a Query on a sort key is one range scan.
//
//   item:   'i' tableId(u32 BE) hash16(pk) esc(pk) esc(sk)?
//   index:  'x' tableId indexId(u32 BE) hash16(ipk) esc(ipk) esc(isk)? esc(pk) esc(sk)?
//
// pk/sk are the typed key values (S: UTF-8 bytes, B: raw bytes, N: the decimal encoding below).
// esc() doubles every 0x00 as 00 FF and ends with 00 01, which keeps lexicographic order (a value
// sorts before every value it is a proper prefix of) and makes each component self-delimiting.
// The 16-bit hash of the partition key in front spreads partitions over the key space the way
// DynamoDB's hash partitioning does, and makes Scan's Segment/TotalSegments a split of that range.
// Index entries end with the table's own key because GSI keys need not be unique.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cdnlab::store {

enum class KeyType : uint8_t { S, N, B };

// One key attribute's value in its scalar form: S as UTF-8, N as DynamoDB's decimal text, B as raw
// (already base64-decoded) bytes.
struct KeyValue {
  KeyType type = KeyType::S;
  std::string bytes;
};

// Appends the order-preserving bytes of a DynamoDB number ("-12.5E3", "0.001", ...): sign class,
// then exponent, then significant digits (complemented for negatives so larger magnitude sorts
// first). Fails on text that is not a number.
Result<bool> appendNumberKey(std::string& out, std::string_view decimal);

// esc(value) as above, with N encoded through appendNumberKey first.
Result<bool> appendKeyComponent(std::string& out, const KeyValue& v);
void appendEscaped(std::string& out, std::string_view raw);

uint16_t partitionHash(const KeyValue& pk);

void appendU32(std::string& out, uint32_t v);

// Prefixes.
std::string tablePrefix(uint32_t tableId);                    // 'i' tableId
std::string indexPrefix(uint32_t tableId, uint32_t indexId);  // 'x' tableId indexId
// Start of a partition inside a table or index prefix: prefix hash16(pk) esc(pk).
Result<std::string> partitionPrefix(std::string_view prefix, const KeyValue& pk);
// The same for a multi-attribute partition key (a GSI's up to four HASH values, in schema order):
// prefix hash16 esc(pk1) esc(pk2)..., the hash taken over the escaped tuple. One value gives the
// single-attribute prefix above.
Result<std::string> partitionPrefix(std::string_view prefix, const std::vector<KeyValue>& pk);

// Smallest key strictly greater than every key with this prefix ("" if none exists).
std::string prefixSuccessor(std::string_view prefix);

}  // namespace cdnlab::store
