// The report's drawing kit: line charts, stacked bars and text escaping, written as inline SVG
// strings (no plotting library, no JavaScript: the page renders anywhere, offline). Pure.
// Every data point is an SVG element carrying data-series / data-x / data-y attributes and a
// <title> (the browser shows it on hover), so tests and readers can check the numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdnlab::report {

std::string escapeXml(std::string_view s);
// A colour per series index, from a palette that stays distinguishable for colour-blind readers.
const char* seriesColor(size_t i);

struct Axis {
  std::string label;
  bool log = false;                   // base-10 log scale (values <= 0 are not drawn)
  bool percent = false;               // values are shares 0..1, labelled as %
  std::optional<double> min, max;     // fixed range; otherwise from the data (with 0 for linear)
};

struct Series {
  Series() = default;
  Series(std::string n, std::vector<std::pair<double, double>> p) : name(std::move(n)), points(std::move(p)) {}
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in this order
  bool dashed = false;
  bool step = false;  // draw as a step function (a CDF)
  std::optional<size_t> color;  // palette index; default: the series' position
};

struct LineChart {
  std::string id;     // the figure's id, e.g. "hit-ratio"
  std::string title;
  Axis x, y;
  std::vector<Series> series;
  std::vector<std::pair<double, std::string>> yMarks;  // horizontal reference lines with a label
  int width = 720;
  int height = 300;
};

// <figure class="plot" id="plot-ID" data-plot="ID" data-points="N"><figcaption>..</figcaption><svg>..</svg></figure>;
// a chart with no point says so in text instead of drawing empty axes.
std::string renderLineChart(const LineChart& chart);

struct StackedBar {
  std::string label;
  std::vector<std::pair<std::string, double>> parts;  // (segment name, value), left to right
};

struct StackedBarChart {
  std::string id;
  std::string title;
  std::string unit;  // "ms"
  std::vector<StackedBar> bars;
  int width = 720;
};

std::string renderStackedBars(const StackedBarChart& chart);

// "12.3", "0.5", "1.2k", "3.4M": short numbers for ticks and labels.
std::string shortNumber(double v);

}  // namespace cdnlab::report
