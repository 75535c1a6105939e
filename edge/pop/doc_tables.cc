// Markdown rendering of the step and outcome tables (see doc_tables.h).
#include "edge/pop/doc_tables.h"

#include "edge/pop/steps.h"

namespace cdnlab::edge::pop {

std::string requestPathTables() {
  std::string out = "| step | edge-function trigger | what it does | next |\n| --- | --- | --- | --- |\n";
  for (const auto& s : kSteps) {
    out += "| ";
    out += s.name;
    out += " | ";
    out += s.trigger;
    out += " | ";
    out += s.doc;
    out += " | ";
    out += s.next;
    out += " |\n";
  }
  out += "\n| outcome (X-Cache) | meaning |\n| --- | --- |\n";
  for (const auto& o : kOutcomes) {
    out += "| ";
    out += o.name;
    out += " | ";
    out += o.doc;
    out += " |\n";
  }
  return out;
}

}  // namespace cdnlab::edge::pop
