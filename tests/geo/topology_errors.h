// The topology error tests' tools: edit one line of a valid topology, then check that loading it
// fails with an error at that file:line naming the field.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "common/config/error.h"
#include "geo/topology.h"

namespace cdnlab::geo::testedit {

// `text` with its line `line` (1-based) replaced by `with`.
inline std::string replaceLine(std::string text, int line, const std::string& with) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
  const size_t end = text.find('\n', start);
  return text.replace(start, end - start, with);
}

// `text` with `lines` (each ending in '\n') inserted after its line `line`.
inline std::string insertAfter(std::string text, int line, const std::string& lines) {
  size_t pos = 0;
  for (int i = 0; i < line; ++i) pos = text.find('\n', pos) + 1;
  return text.insert(pos, lines);
}

// Loading must fail with an error at topo.yaml:line naming the field, and mentioning `words`.
inline void expectError(const std::string& yaml, int line, const std::string& field, const std::string& words) {
  auto t = loadTopologyString(yaml, "topo.yaml");
  ASSERT_FALSE(t.ok()) << "loaded but should fail at line " << line << " (" << field << ")";
  bool found = false;
  for (const auto& e : t.errors())
    if (e.file == "topo.yaml" && e.line == line && e.field == field && e.message.find(words) != std::string::npos)
      found = true;
  EXPECT_TRUE(found) << "wanted topo.yaml:" << line << ": " << field << ": ..." << words << "...\ngot:\n"
                     << config::formatErrors(t.errors());
}

}  // namespace cdnlab::geo::testedit
