// Base64 (RFC 4648 section 4, standard alphabet, with padding) for B and BS values on the wire:
// DynamoDB JSON carries binary as base64 text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cdnlab::store {

std::string base64Encode(std::string_view bytes);
// nullopt on a character outside the alphabet, a length that is not a multiple of 4, or padding
// anywhere but the end (DynamoDB rejects these as SerializationException).
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace cdnlab::store
