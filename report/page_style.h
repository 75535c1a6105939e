// The CSS the report and the live dashboard share (inline in each page: they must render
// offline, from a file or a server with no other assets).
#pragma once

namespace cdnlab::report {

inline constexpr const char* kPageCss = R"css(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1000px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.sub { color: #666; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.figure .v { font-size: 22px; font-weight: 600; } .figure .k { color: #666; font-size: 12px; }
figure.plot { margin: 16px 0; } figure.plot figcaption { font-weight: 600; margin-bottom: 4px; }
figure.plot svg { width: 100%; height: auto; background: #fff; }
p.nodata { color: #888; font-style: italic; }
.grid { stroke: #eee; } .frame { fill: none; stroke: #bbb; } .tick, .legend, .axis { font-size: 11px; fill: #444; }
.mark { stroke: #888; stroke-dasharray: 2 3; } .marklabel { font-size: 10px; fill: #666; }
.ocean { fill: #f4f8fb; } .graticule { stroke: #dde6ee; } .graticule.main { stroke: #c5d3df; }
.route.client { stroke: #E69F00; stroke-opacity: .6; } .route.upstream { stroke: #555; stroke-opacity: .5; stroke-dasharray: 4 3; }
.maplabel { font-size: 11px; fill: #333; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: right; } th:first-child, td:first-child { text-align: left; }
th { background: #fafafa; }
.explain { color: #444; max-width: 800px; }
)css";

}  // namespace cdnlab::report
