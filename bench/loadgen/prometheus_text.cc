#include "bench/loadgen/prometheus_text.h"

#include <cstdlib>
#include <limits>
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

std::vector<std::pair<std::string, double>> metricSamples(std::string_view text, std::string_view name) {
  std::vector<std::pair<std::string, double>> out;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty() || line.front() == '#' || line.substr(0, name.size()) != name) continue;
    std::string_view rest = line.substr(name.size());
    std::string_view labels;
    if (!rest.empty() && rest.front() == '{') {
      size_t close = rest.rfind('}');
      if (close == std::string_view::npos) continue;
      labels = rest.substr(1, close - 1);
      rest = rest.substr(close + 1);
    }
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) continue;
    std::string value(rest.substr(rest.find_first_not_of(" \t") == std::string_view::npos ? rest.size()
                                                                                         : rest.find_first_not_of(" \t")));
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (value.empty() || end == value.c_str()) continue;
    out.emplace_back(std::string(labels), v);
  }
  return out;
}

std::optional<std::string> labelValue(std::string_view labels, std::string_view key) {
  // Labels are name="value" pairs separated by commas; values escape \\ and \".
  size_t at = 0;
  while (at < labels.size()) {
    size_t eq = labels.find('=', at);
    if (eq == std::string_view::npos || eq + 1 >= labels.size() || labels[eq + 1] != '"') return std::nullopt;
    std::string_view name = labels.substr(at, eq - at);
    std::string value;
    size_t i = eq + 2;
    for (; i < labels.size() && labels[i] != '"'; ++i) {
      if (labels[i] == '\\' && i + 1 < labels.size()) ++i;
      value.push_back(labels[i]);
    }
    if (name == key) return value;
    at = i + 1;
    if (at < labels.size() && labels[at] == ',') ++at;
  }
  return std::nullopt;
}

std::map<double, double> histogramBuckets(std::string_view text, std::string_view name) {
  std::map<double, double> out;
  for (const auto& [labels, v] : metricSamples(text, std::string(name) + "_bucket")) {
    auto le = labelValue(labels, "le");
    if (!le) continue;
    double bound = *le == "+Inf" ? std::numeric_limits<double>::max() : std::strtod(le->c_str(), nullptr);
    out[bound] += v;
  }
  return out;
}

std::optional<double> quantileBetween(const std::map<double, double>& before, const std::map<double, double>& after,
                                      double q) {
  std::vector<std::pair<double, double>> cum;  // (le, count observed between the scrapes)
  for (const auto& [le, n] : after) {
    auto b = before.find(le);
    cum.emplace_back(le, std::max(0.0, n - (b == before.end() ? 0 : b->second)));
  }
  if (cum.empty() || cum.back().second <= 0) return std::nullopt;
  const double rank = q * cum.back().second;
  double lowerBound = 0, lowerCount = 0;
  for (const auto& [le, n] : cum) {
    if (n >= rank && n > lowerCount) {
      if (le == std::numeric_limits<double>::max()) return lowerBound;  // in +Inf: the last finite bound
      return lowerBound + (le - lowerBound) * (rank - lowerCount) / (n - lowerCount);
    }
    lowerBound = le == std::numeric_limits<double>::max() ? lowerBound : le;
    lowerCount = n;
  }
  return lowerBound;
}

}  // namespace cdnlab::loadgen
