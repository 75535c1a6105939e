// Compressed answers as DynamoDB sends them: an answer of 4 KB or more is gzip- or
// deflate-encoded when the request's Accept-Encoding allows it (the x-amz-crc32 header then
// covers the encoded bytes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cdnlab::store {

// DynamoDB compresses answers from this size on.
inline constexpr size_t kCompressAnswersFrom = 4096;

// The content coding to answer with for an Accept-Encoding value: "gzip", "deflate" or none.
// Entries are "token[;q=value]" separated by commas, matched case-insensitively; a q of 0 (or
// less) refuses a coding, a q above 1 counts as 1, an unreadable q as 1, and the first q of an
// entry counts. "*" stands for the codings not named. The highest q wins; on a tie a coding named
// beats one taken from "*", then the one named first, then gzip. "identity" is never chosen.
std::optional<std::string_view> chooseContentCoding(std::string_view acceptEncoding);

// `body` encoded as `coding` ("gzip" or "deflate", the zlib format HTTP's deflate means);
// nullopt if the encoder fails.
std::optional<std::string> encodeBody(std::string_view body, std::string_view coding);

}  // namespace cdnlab::store
