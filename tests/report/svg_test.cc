// The SVG kit: every point is drawn once with its data, scales put points where they belong,
// nothing from the data can break out of the markup, and an empty chart says so.
#include "report/svg.h"

#include <gtest/gtest.h>

#include <regex>

namespace cdnlab::report {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(Svg, EscapesMarkup) {
  EXPECT_EQ(escapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escapeXml(std::string("x\x01y")), "x?y");
}

TEST(Svg, LineChartDrawsEveryPointWithItsData) {
  LineChart c;
  c.id = "t";
  c.title = "T";
  c.x.label = "s";
  c.y.label = "ratio";
  c.y.percent = true;
  c.series.push_back({"fra", {{0, 0.1}, {1, 0.5}, {2, 0.9}}});
  c.series.push_back({"<lon>", {{0, 0.2}}});
  std::string svg = renderLineChart(c);
  EXPECT_NE(svg.find("data-plot=\"t\" data-points=\"4\""), std::string::npos);
  EXPECT_EQ(count(svg, "<circle class=\"pt\""), 4u);
  EXPECT_NE(svg.find("data-series=\"fra\" data-x=\"1\" data-y=\"0.5\""), std::string::npos);
  EXPECT_NE(svg.find("data-series=\"&lt;lon&gt;\""), std::string::npos);
  EXPECT_EQ(svg.find("<lon>"), std::string::npos);
  EXPECT_NE(svg.find(">40%<"), std::string::npos);  // a percent axis labels its ticks as %
}

TEST(Svg, PointsLandOnTheScale) {
  LineChart c;
  c.id = "s";
  c.width = 300;
  c.height = 200;
  c.x.min = 0;
  c.x.max = 10;
  c.y.min = 0;
  c.y.max = 10;
  c.series.push_back({"a", {{0, 0}, {10, 10}}});
  std::string svg = renderLineChart(c);
  std::smatch m;
  std::regex circle("cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");
  std::vector<std::pair<double, double>> at;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator(); ++it)
    at.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  ASSERT_EQ(at.size(), 2u);
  EXPECT_LT(at[0].first, at[1].first);   // x grows to the right
  EXPECT_GT(at[0].second, at[1].second);  // y grows upwards (SVG's y grows downwards)
  EXPECT_GE(at[0].first, 0);
  EXPECT_LE(at[1].first, 300);
}

TEST(Svg, LogAxisDropsWhatItCannotDraw) {
  LineChart c;
  c.id = "l";
  c.x.log = true;
  c.series.push_back({"a", {{0, 0.5}, {-1, 0.5}, {10, 0.5}, {1000, 1}}});
  std::string svg = renderLineChart(c);
  EXPECT_NE(svg.find("data-points=\"2\""), std::string::npos);
  EXPECT_EQ(svg.find("\"nan"), std::string::npos);
  EXPECT_EQ(svg.find("\"inf"), std::string::npos);
  EXPECT_EQ(svg.find("\"-nan"), std::string::npos);
}

TEST(Svg, EmptyChartSaysNotMeasured) {
  LineChart c;
  c.id = "e";
  c.title = "Nothing";
  std::string svg = renderLineChart(c);
  EXPECT_NE(svg.find("data-points=\"0\""), std::string::npos);
  EXPECT_NE(svg.find("Not measured"), std::string::npos);
  EXPECT_EQ(svg.find("<svg"), std::string::npos);
}

TEST(Svg, StackedBarsKeepEveryPart) {
  StackedBarChart c;
  c.id = "b";
  c.unit = "ms";
  c.bars.push_back({"berlin", {{"edge", 10}, {"origin", 30}}});
  c.bars.push_back({"tokyo", {{"edge", 12}, {"origin", 0}}});  // a zero part is not drawn
  std::string svg = renderStackedBars(c);
  EXPECT_NE(svg.find("data-points=\"3\""), std::string::npos);
  EXPECT_NE(svg.find("data-series=\"origin\" data-bar=\"berlin\" data-y=\"30\""), std::string::npos);
  EXPECT_NE(svg.find(">40 ms<"), std::string::npos);
}

TEST(Svg, ShortNumbers) {
  EXPECT_EQ(shortNumber(0), "0");
  EXPECT_EQ(shortNumber(12.34), "12.3");
  EXPECT_EQ(shortNumber(250), "250");
  EXPECT_EQ(shortNumber(12500), "12.5k");
  EXPECT_EQ(shortNumber(3400000), "3.4M");
}

}  // namespace
}  // namespace cdnlab::report
