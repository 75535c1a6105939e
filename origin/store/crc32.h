// CRC-32 (the zlib / IEEE 802.3 polynomial, reflected 0xEDB88320) for the `x-amz-crc32` response
// header: botocore recomputes it over the body and fails the call on a mismatch.
#pragma once

#include <cstdint>
#include <string_view>

namespace cdnlab::store {

uint32_t crc32(std::string_view data, uint32_t crc = 0);

}  // namespace cdnlab::store
