// The request-path tables of docs/request-path.md, generated from the step and outcome tables
// (steps.h) so the documentation cannot drift from the code: a unit test compares the two.
#pragma once

#include <string>

namespace cdnlab::edge::pop {

// Markdown: the steps table, then the outcomes table (each with a header row).
std::string requestPathTables();

}  // namespace cdnlab::edge::pop
