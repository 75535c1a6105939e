// The escape check and the copy (see json_string.h).
#include "origin/store/model/json_string.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cdnlab::store {
namespace {

// RapidJSON keeps the Writer's output stream protected; a member pointer taken inside a derived
// class reads it without changing the Writer.
rapidjson::StringBuffer& outputOf(JsonWriter& w) {
  struct Access : JsonWriter {
    static rapidjson::StringBuffer* JsonWriter::*stream() { return &Access::os_; }
  };
  return *(w.*Access::stream());
}

bool needsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

}  // namespace

bool jsonStringNeedsEscape(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  // Bytes below 0x20 are those that, with 0x80 added, are below 0xA0 as signed: (c ^ 0x80) < -96.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80)), controlBound = _mm_set1_epi8(static_cast<char>(0xA0));
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i control = _mm_cmplt_epi8(_mm_xor_si128(chunk, flip), controlBound);
    const __m128i hit = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  for (; i < s.size(); ++i)
    if (needsEscape(static_cast<unsigned char>(s[i]))) return true;
  return false;
}

void writeJsonString(JsonWriter& out, std::string_view s) {
  if (jsonStringNeedsEscape(s)) {
    out.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return;
  }
  out.RawValue("", 0, rapidjson::kStringType);  // the separator and the writer's count of values
  char* p = outputOf(out).Push(s.size() + 2);
  p[0] = '"';
  std::memcpy(p + 1, s.data(), s.size());
  p[s.size() + 1] = '"';
}

}  // namespace cdnlab::store
