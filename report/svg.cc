// Drawing the report's charts as SVG text (see svg.h). Scales map data to pixels; ticks follow
// the 1-2-5 rule on linear axes and powers of ten on log axes.
#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace cdnlab::report {
namespace {

constexpr int kLeft = 64, kRight = 160, kTop = 16, kBottom = 44;  // plot margins (legend on the right)

template <typename... A>
std::string fmt(const char* f, A... a) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

struct Scale {
  double lo = 0, hi = 1;
  double pixLo = 0, pixHi = 1;
  bool log = false;
  double operator()(double v) const {
    double a = log ? std::log10(v) : v, l = log ? std::log10(lo) : lo, h = log ? std::log10(hi) : hi;
    if (h == l) return (pixLo + pixHi) / 2;
    return pixLo + (a - l) / (h - l) * (pixHi - pixLo);
  }
};

bool drawable(const Axis& a, double v) { return std::isfinite(v) && (!a.log || v > 0); }

// The data range of one axis, widened to whole ticks.
std::pair<double, double> range(const Axis& a, const std::vector<double>& values) {
  double lo = values.empty() ? 0 : *std::min_element(values.begin(), values.end());
  double hi = values.empty() ? 1 : *std::max_element(values.begin(), values.end());
  if (a.percent) lo = std::min(lo, 0.0), hi = std::max(hi, 1.0);
  if (!a.log) lo = std::min(lo, 0.0);
  if (a.min) lo = *a.min;
  if (a.max) hi = *a.max;
  if (a.log) {
    lo = std::pow(10, std::floor(std::log10(lo)));
    hi = std::pow(10, std::ceil(std::log10(hi)));
    if (hi <= lo) hi = lo * 10;
  } else if (hi <= lo) {
    hi = lo + 1;
  }
  return {lo, hi};
}

std::vector<double> ticks(const Scale& s) {
  std::vector<double> t;
  if (s.log) {
    for (double d = s.lo; d <= s.hi * 1.0001; d *= 10) {
      t.push_back(d);
      if (s.hi / s.lo <= 1000 && d * 2 < s.hi) t.push_back(d * 2);
      if (s.hi / s.lo <= 1000 && d * 5 < s.hi) t.push_back(d * 5);
    }
    return t;
  }
  double span = s.hi - s.lo, raw = span / 6, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) {
      step = m * mag;
      break;
    }
  for (double v = std::ceil(s.lo / step) * step; v <= s.hi + step * 1e-6; v += step) t.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return t;
}

std::string tickLabel(const Axis& a, double v) { return a.percent ? fmt("%.0f%%", v * 100) : shortNumber(v); }

std::string valueLabel(const Axis& a, double v) { return a.percent ? fmt("%.1f%%", v * 100) : shortNumber(v); }

std::string noData(const std::string& id, const std::string& title, const std::string& why) {
  return "<figure class=\"plot empty\" id=\"plot-" + escapeXml(id) + "\" data-plot=\"" + escapeXml(id) +
         "\" data-points=\"0\"><figcaption>" + escapeXml(title) + "</figcaption><p class=\"nodata\">" + escapeXml(why) +
         "</p></figure>\n";
}

}  // namespace

std::string escapeXml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters are not allowed in XML 1.0; a run's names come from files.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += "?";
        else out += c;
    }
  }
  return out;
}

const char* seriesColor(size_t i) {
  // Okabe-Ito, then Tol's muted: distinguishable with the common colour-vision deficiencies.
  static const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                                   "#F0E442", "#000000", "#882255", "#44AA99", "#999933", "#AA4499"};
  return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

std::string shortNumber(double v) {
  double a = std::fabs(v);
  if (a >= 1e9) return fmt("%.3gG", v / 1e9);
  if (a >= 1e6) return fmt("%.3gM", v / 1e6);
  if (a >= 1e4) return fmt("%.3gk", v / 1e3);
  if (a >= 100 || a == 0) return fmt("%.0f", v);
  return fmt("%.3g", v);
}

std::string renderLineChart(const LineChart& c) {
  std::vector<double> xs, ys;
  size_t points = 0;
  for (const auto& s : c.series)
    for (const auto& [x, y] : s.points)
      if (drawable(c.x, x) && drawable(c.y, y)) xs.push_back(x), ys.push_back(y), ++points;
  if (!points) return noData(c.id, c.title, "Not measured in this run.");
  for (const auto& m : c.yMarks)
    if (drawable(c.y, m.first)) ys.push_back(m.first);

  const int plotW = c.width - kLeft - kRight, plotH = c.height - kTop - kBottom;
  auto [x0, x1] = range(c.x, xs);
  auto [y0, y1] = range(c.y, ys);
  Scale sx{x0, x1, double(kLeft), double(kLeft + plotW), c.x.log};
  Scale sy{y0, y1, double(kTop + plotH), double(kTop), c.y.log};

  std::string o = "<figure class=\"plot\" id=\"plot-" + escapeXml(c.id) + "\" data-plot=\"" + escapeXml(c.id) +
                  "\" data-points=\"" + std::to_string(points) + "\"><figcaption>" + escapeXml(c.title) +
                  "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(c.width) + " " +
                  std::to_string(c.height) + "\" role=\"img\" aria-label=\"" + escapeXml(c.title) + "\">\n";
  // Grid and tick labels.
  for (double t : ticks(sx)) {
    double px = sx(t);
    o += fmt("<line class=\"grid\" x1=\"%.1f\"", px) + fmt(" x2=\"%.1f\"", px) + fmt(" y1=\"%d\"", kTop) +
         fmt(" y2=\"%d\"/>", kTop + plotH) + fmt("<text class=\"tick\" x=\"%.1f\"", px) +
         fmt(" y=\"%d\" text-anchor=\"middle\">", kTop + plotH + 14) + escapeXml(tickLabel(c.x, t)) + "</text>\n";
  }
  for (double t : ticks(sy)) {
    double py = sy(t);
    o += fmt("<line class=\"grid\" x1=\"%d\"", kLeft) + fmt(" x2=\"%d\"", kLeft + plotW) + fmt(" y1=\"%.1f\"", py) +
         fmt(" y2=\"%.1f\"/>", py) + fmt("<text class=\"tick\" x=\"%d\"", kLeft - 6) +
         fmt(" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">", py) + escapeXml(tickLabel(c.y, t)) +
         "</text>\n";
  }
  o += fmt("<rect class=\"frame\" x=\"%d\"", kLeft) + fmt(" y=\"%d\"", kTop) + fmt(" width=\"%d\"", plotW) +
       fmt(" height=\"%d\"/>\n", plotH);
  o += fmt("<text class=\"axis\" x=\"%d\"", kLeft + plotW / 2) + fmt(" y=\"%d\" text-anchor=\"middle\">", c.height - 6) +
       escapeXml(c.x.label) + "</text>\n";
  o += fmt("<text class=\"axis\" transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">", kTop + plotH / 2) +
       escapeXml(c.y.label) + "</text>\n";
  for (const auto& [v, label] : c.yMarks) {
    if (!drawable(c.y, v)) continue;
    double py = sy(v);
    o += fmt("<line class=\"mark\" x1=\"%d\"", kLeft) + fmt(" x2=\"%d\"", kLeft + plotW) + fmt(" y1=\"%.1f\"", py) +
         fmt(" y2=\"%.1f\"/>", py) + fmt("<text class=\"marklabel\" x=\"%d\"", kLeft + plotW - 4) +
         fmt(" y=\"%.1f\" text-anchor=\"end\">", py - 4) + escapeXml(label) + "</text>\n";
  }
  // Series: a path, then one circle per point.
  for (size_t i = 0; i < c.series.size(); ++i) {
    const Series& s = c.series[i];
    const char* color = seriesColor(s.color.value_or(i));
    std::string d;
    double lastPy = 0;
    bool first = true;
    for (const auto& [x, y] : s.points) {
      if (!drawable(c.x, x) || !drawable(c.y, y)) continue;
      double px = sx(x), py = sy(y);
      if (first) d += fmt("M%.1f", px) + fmt(",%.1f", py);
      else if (s.step) d += fmt(" L%.1f", px) + fmt(",%.1f", lastPy) + fmt(" L%.1f", px) + fmt(",%.1f", py);
      else d += fmt(" L%.1f", px) + fmt(",%.1f", py);
      first = false;
      lastPy = py;
    }
    if (d.empty()) continue;
    o += "<g class=\"series\" data-series=\"" + escapeXml(s.name) + "\">";
    o += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.8\"" +
         (s.dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>\n";
    for (const auto& [x, y] : s.points) {
      if (!drawable(c.x, x) || !drawable(c.y, y)) continue;
      o += fmt("<circle class=\"pt\" cx=\"%.1f\"", sx(x)) + fmt(" cy=\"%.1f\" r=\"2.4\"", sy(y)) + " fill=\"" + color +
           "\" data-series=\"" + escapeXml(s.name) + fmt("\" data-x=\"%g\"", x) + fmt(" data-y=\"%g\">", y) + "<title>" +
           escapeXml(s.name) + ": " + escapeXml(c.x.label) + " " + escapeXml(valueLabel(c.x, x)) + ", " +
           escapeXml(c.y.label) + " " + escapeXml(valueLabel(c.y, y)) + "</title></circle>";
    }
    o += "</g>\n";
    // Legend entry.
    int ly = kTop + 8 + static_cast<int>(i) * 16;
    o += fmt("<line x1=\"%d\"", kLeft + plotW + 10) + fmt(" x2=\"%d\"", kLeft + plotW + 28) + fmt(" y1=\"%d\"", ly) +
         fmt(" y2=\"%d\" stroke=\"", ly) + color + "\" stroke-width=\"2\"" + (s.dashed ? " stroke-dasharray=\"5 3\"" : "") +
         "/>" + fmt("<text class=\"legend\" x=\"%d\"", kLeft + plotW + 32) + fmt(" y=\"%d\" dominant-baseline=\"middle\">", ly) +
         escapeXml(s.name) + "</text>\n";
  }
  o += "</svg></figure>\n";
  return o;
}

std::string renderStackedBars(const StackedBarChart& c) {
  double maxTotal = 0;
  size_t points = 0;
  std::vector<std::string> segmentNames;
  for (const auto& b : c.bars) {
    double t = 0;
    for (const auto& [name, v] : b.parts) {
      if (v > 0 && std::isfinite(v)) t += v, ++points;
      if (std::find(segmentNames.begin(), segmentNames.end(), name) == segmentNames.end()) segmentNames.push_back(name);
    }
    maxTotal = std::max(maxTotal, t);
  }
  if (!points) return noData(c.id, c.title, "Not measured in this run.");
  const int rowH = 22, labelW = 110, legendH = 22;
  int legendRows = 1;
  for (int lx = labelW; const auto& n : segmentNames) {
    int w = 30 + static_cast<int>(n.size()) * 7;
    if (lx + w > c.width && lx > labelW) lx = labelW, ++legendRows;
    lx += w;
  }
  const int height = kTop + static_cast<int>(c.bars.size()) * rowH + 30 + legendH * legendRows;
  const int plotW = c.width - labelW - 70;
  Scale sx{0, maxTotal, double(labelW), double(labelW + plotW), false};
  std::string o = "<figure class=\"plot\" id=\"plot-" + escapeXml(c.id) + "\" data-plot=\"" + escapeXml(c.id) +
                  "\" data-points=\"" + std::to_string(points) + "\"><figcaption>" + escapeXml(c.title) +
                  "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(c.width) + " " +
                  std::to_string(height) + "\" role=\"img\" aria-label=\"" + escapeXml(c.title) + "\">\n";
  std::map<std::string, size_t> colorOf;
  for (size_t i = 0; i < segmentNames.size(); ++i) colorOf[segmentNames[i]] = i;
  for (size_t r = 0; r < c.bars.size(); ++r) {
    const StackedBar& b = c.bars[r];
    int y = kTop + static_cast<int>(r) * rowH;
    o += fmt("<text class=\"tick\" x=\"%d\"", labelW - 6) + fmt(" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\">", y + rowH / 2) +
         escapeXml(b.label) + "</text>";
    double at = 0;
    for (const auto& [name, v] : b.parts) {
      if (!(v > 0) || !std::isfinite(v)) continue;
      double x0 = sx(at), x1 = sx(at + v);
      o += fmt("<rect class=\"pt\" x=\"%.1f\"", x0) + fmt(" y=\"%d\"", y + 3) + fmt(" width=\"%.1f\"", std::max(0.5, x1 - x0)) +
           fmt(" height=\"%d\" fill=\"", rowH - 6) + seriesColor(colorOf[name]) + "\" data-series=\"" + escapeXml(name) +
           "\" data-bar=\"" + escapeXml(b.label) + fmt("\" data-y=\"%g\">", v) + "<title>" + escapeXml(b.label) + ", " +
           escapeXml(name) + ": " + escapeXml(shortNumber(v)) + " " + escapeXml(c.unit) + "</title></rect>";
      at += v;
    }
    o += fmt("<text class=\"tick\" x=\"%.1f\"", sx(at) + 4) + fmt(" y=\"%d\" dominant-baseline=\"middle\">", y + rowH / 2) +
         escapeXml(shortNumber(at)) + " " + escapeXml(c.unit) + "</text>\n";
  }
  int ly = kTop + static_cast<int>(c.bars.size()) * rowH + 20, lx = labelW;
  for (size_t i = 0; i < segmentNames.size(); ++i) {
    int w = 30 + static_cast<int>(segmentNames[i].size()) * 7;
    if (lx + w > c.width && lx > labelW) lx = labelW, ly += 18;  // wrap the legend
    o += fmt("<rect x=\"%d\"", lx) + fmt(" y=\"%d\" width=\"12\" height=\"12\" fill=\"", ly - 6) + seriesColor(i) + "\"/>" +
         fmt("<text class=\"legend\" x=\"%d\"", lx + 16) + fmt(" y=\"%d\" dominant-baseline=\"middle\">", ly) +
         escapeXml(segmentNames[i]) + "</text>";
    lx += w;
  }
  o += "\n</svg></figure>\n";
  return o;
}

}  // namespace cdnlab::report
