#include "bench/loadgen/prometheus_text.h"

#include <cstdlib>
#include <string>

namespace cdnlab::loadgen {

std::optional<double> metricSum(std::string_view text, std::string_view name) {
  std::optional<double> sum;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, name.size()) != name) continue;
    std::string_view rest = line.substr(name.size());
    if (!rest.empty() && rest.front() == '{') {  // labels: skip to the closing brace
      // The last one: a label value may hold braces (the gateway's route="GET /items/{id}").
      size_t close = rest.rfind('}');
      if (close == std::string_view::npos) continue;
      rest = rest.substr(close + 1);
    }
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) continue;  // a longer name
    size_t start = rest.find_first_not_of(" \t");
    if (start == std::string_view::npos) continue;
    std::string value(rest.substr(start));
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str()) continue;
    sum = sum.value_or(0) + v;
  }
  return sum;
}

}  // namespace cdnlab::loadgen
