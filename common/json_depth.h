// A bound on JSON nesting that costs no stack: RapidJSON's default (recursive) parser, its
// Writer (Value::Accept) and every walk over a parsed tree recurse once per level, so a few MB of
// '[' from a client or a function's answer would overflow the stack and end the process. Code
// that parses untrusted JSON with the recursive parser, or re-serialises a subtree of it, checks
// the text with this first (or parses with kParseIterativeFlag and walks nothing recursively).
#pragma once

#include <string_view>

namespace cdnlab {

// A depth RapidJSON's recursive parser and Writer handle with room to spare on a default 8 MB
// thread stack (two frames of a few hundred bytes per level, ASan's included). A text of at most
// this many bytes cannot nest deeper, so checking against it costs nothing on small payloads.
inline constexpr int kMaxRecursiveJsonDepth = 4096;

// True if arrays/objects in `text` nest deeper than `maxDepth`. One pass, no recursion; brackets
// inside strings (escapes included) do not count. Malformed JSON is not judged here (the parser
// reports it); only the bracket depth outside strings counts. A text no longer than maxDepth
// bytes is not scanned (each level takes a byte).
bool jsonNestsDeeperThan(std::string_view text, int maxDepth);

}  // namespace cdnlab
