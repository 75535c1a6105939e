// Bracket-depth scan of a JSON text (see json_depth.h).
#include "common/json_depth.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cdnlab {
namespace {

// The offset of the next byte at or after `i` that the scan must look at ('"', '\\', a bracket or
// a brace), or text.size(). Long string values and runs of plain characters are most of a request
// (a PutItem of ten 100-byte fields): sixteen bytes per step with SSE2, loads inside the text only.
size_t nextSignificant(std::string_view text, size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  // '[' (0x5B) and ']' (0x5D) are '{' (0x7B) and '}' (0x7D) with bit 0x20 cleared.
  const __m128i caseBit = _mm_set1_epi8(0x20), open = _mm_set1_epi8('['), close = _mm_set1_epi8(']');
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const __m128i folded = _mm_andnot_si128(caseBit, chunk);
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                     _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\\' || c == '[' || c == ']' || c == '{' || c == '}') return i;
  }
  return text.size();
}

}  // namespace

bool jsonNestsDeeperThan(std::string_view text, int maxDepth) {
  if (maxDepth >= 0 && text.size() <= static_cast<size_t>(maxDepth)) return false;
  int depth = 0;
  bool inString = false;
  for (size_t i = nextSignificant(text, 0); i < text.size(); i = nextSignificant(text, i + 1)) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') inString = false;
      continue;
    }
    switch (c) {
      case '"': inString = true; break;
      case '[':
      case '{':
        if (++depth > maxDepth) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;  // a backslash outside a string: malformed, judged by the parser
    }
  }
  return false;
}

}  // namespace cdnlab
