// The dashboard page (see dashboard_page.h). The tier panels, the map and the table are drawn by
// the server like the report's; the script only changes numbers and appends points, so the page
// also shows the topology when the script or the components are down.
#include "report/dashboard_page.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "report/page_style.h"
#include "report/svg.h"
#include "report/world_map.h"

namespace cdnlab::report {
namespace {

// Polls /api/state; per component, rates from the difference of two snapshots. Errors are
// shown on the page (#status) rather than thrown: a dashboard outlives the things it watches.
constexpr const char* kScript = R"js(
"use strict";
const HISTORY_S = 300;
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
let last = null, lastTiers = null;
const hitHistory = {};  // PoP id -> [[t, hit ratio]]
// The tier charts: series label -> [component kind, counter], plotted as a rate per second.
const TIER_CHARTS = {
  "live-tiers-chart": [["gateway requests", "gateway", "requests"], ["Lambda invocations", "lambda", "requests"],
                       ["Lambda cold starts", "lambda", "cold_starts"], ["Lambda throttles", "lambda", "throttles"],
                       ["store reads", "store", "reads"], ["store writes", "store", "writes"]],
  "live-capacity-chart": [["read capacity units", "store", "rcu"], ["write capacity units", "store", "wcu"]],
};
const tierHistory = {};  // chart id -> series label -> [[t, value]]
function rate(now, before, key, dt) {
  if (!now || !before || now[key] === undefined || before[key] === undefined || dt <= 0) return null;
  return Math.max(0, (now[key] - before[key]) / dt);
}
function setCell(id, field, text) {
  const cell = document.querySelector(`td[data-id="${CSS.escape(id)}"][data-field="${field}"]`);
  if (cell) cell.textContent = text;
}
// The axis' top: 1, 2, 4 or 5 times a power of ten, at or above v (ticks at quarters read well).
function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 4, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
function fmt(v) { return v >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1); }
// Every component's counters summed per kind (the edge tier is all edge PoPs).
function tierTotals(state) {
  const out = {};
  for (const c of state.components) {
    if (!c.up) continue;
    const t = out[c.kind] = out[c.kind] || {};
    for (const [k, v] of Object.entries(c.counters)) t[k] = (t[k] || 0) + v;
  }
  return out;
}
// One chart of the last HISTORY_S seconds: `series` label -> [[t, value]]; `ratio` plots 0..1
// as percentages, else the axis runs from 0 to the largest value shown.
function drawChart(svgId, series, ratio) {
  const svg = document.getElementById(svgId);
  if (!svg) return;
  const W = 720, H = 220, L = 50, R = 170, T = 10, B = 30;
  const now = Date.now() / 1000;
  let top = 1;
  if (!ratio) for (const pts of Object.values(series)) for (const [, v] of pts) top = Math.max(top, v);
  if (!ratio) top = niceCeil(top);
  let html = `<rect class="frame" x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}"/>`;
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    const y = T + (1 - p) * (H - T - B);
    const label = ratio ? `${p * 100}%` : fmt(p * top);
    html += `<line class="grid" x1="${L}" x2="${W - R}" y1="${y}" y2="${y}"/><text class="tick" x="${L - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${label}</text>`;
  }
  html += `<text class="axis" x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">last ${HISTORY_S / 60} minutes${ratio ? "" : ", per second"}</text>`;
  let i = 0, points = 0;
  for (const [name, pts] of Object.entries(series)) {
    const color = COLORS[i % COLORS.length];
    const xy = pts.map(([t, v]) => [L + (1 - (now - t) / HISTORY_S) * (W - L - R), T + (1 - v / top) * (H - T - B)]);
    if (xy.length) {
      html += `<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${xy.map(p => p.join(",")).join(" ")}"/>`;
      for (const [x, y] of xy) html += `<circle class="pt" data-series="${name}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2" fill="${color}"/>`;
      points += xy.length;
    }
    html += `<text class="legend" x="${W - R + 10}" y="${T + 8 + 16 * i}" fill="${color}">${name}</text>`;
    i++;
  }
  svg.innerHTML = html;
  svg.closest("figure").dataset.points = String(points);
}
function updateComponents(state, dt) {
  let up = 0;
  for (const c of state.components) {
    const before = last && last.components.find(x => x.id === c.id);
    setCell(c.id, "up", c.up ? "up" : "down");
    if (c.up) up++;
    const reqRate = rate(c.counters, before && before.counters, "requests", dt);
    const hitRate = rate(c.counters, before && before.counters, "hits", dt);
    setCell(c.id, "requests", c.counters.requests === undefined ? "-" : String(c.counters.requests));
    setCell(c.id, "rate", reqRate === null ? "-" : reqRate.toFixed(1));
    if (reqRate && hitRate !== null) {
      const ratio = Math.min(1, hitRate / reqRate);
      setCell(c.id, "hit", (100 * ratio).toFixed(1) + " %");
      (hitHistory[c.id] = hitHistory[c.id] || []).push([state.time, ratio]);
      const label = document.querySelector(`#plot-map [data-id="${CSS.escape(c.id)}"] title`);
      if (label) label.textContent = `${c.id}: hit ratio ${(100 * ratio).toFixed(1)} % over the last second`;
    }
    if (c.counters.hits !== undefined && c.counters.requests) setCell(c.id, "hit-total", (100 * c.counters.hits / c.counters.requests).toFixed(1) + " %");
    if (c.counters.upstream !== undefined) setCell(c.id, "upstream", String(c.counters.upstream));
    if (c.counters.cold_starts !== undefined) setCell(c.id, "cold-starts", String(c.counters.cold_starts));
  }
  return up;
}
// The tier panels: each value is "<counter>:<rate|total|ratio>" of one kind's totals.
function updateTiers(state, dt) {
  const tiers = tierTotals(state);
  for (const el of document.querySelectorAll("[data-tier][data-field]")) {
    const [counter, mode] = el.dataset.field.split(":");
    const now = tiers[el.dataset.tier], before = lastTiers && lastTiers[el.dataset.tier];
    let text = "-";
    if (now && now[counter] !== undefined) {
      if (mode === "total") text = fmt(now[counter]);
      else if (mode === "rate") {
        const r = rate(now, before, counter, dt);
        if (r !== null) text = r.toFixed(1);
      } else if (mode === "ratio") {
        const req = rate(now, before, "requests", dt), hit = rate(now, before, counter, dt);
        if (req && hit !== null) text = (100 * Math.min(1, hit / req)).toFixed(1) + " %";
      }
    }
    el.textContent = text;
  }
  for (const [chart, series] of Object.entries(TIER_CHARTS)) {
    const h = tierHistory[chart] = tierHistory[chart] || {};
    for (const [label, kind, counter] of series) {
      if (!tiers[kind] || tiers[kind][counter] === undefined) continue;
      const r = rate(tiers[kind], lastTiers && lastTiers[kind], counter, dt);
      const pts = h[label] = h[label] || [];
      if (r !== null) pts.push([state.time, r]);
    }
  }
  lastTiers = tiers;
}
function trim(history, now) {
  for (const pts of Object.values(history)) while (pts.length && pts[0][0] < now - HISTORY_S) pts.shift();
}
async function poll() {
  try {
    const response = await fetch("/api/state", {cache: "no-store"});
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const state = await response.json();
    const dt = last ? state.time - last.time : 0;
    const up = updateComponents(state, dt);
    updateTiers(state, dt);
    trim(hitHistory, state.time);
    drawChart("live-chart", hitHistory, true);
    for (const [chart, h] of Object.entries(tierHistory)) {
      trim(h, state.time);
      drawChart(chart, h, false);
    }
    document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
    document.getElementById("status").textContent = `${up} of ${state.components.length} components up, updated ${new Date(state.time * 1000).toLocaleTimeString()}`;
    last = state;
  } catch (e) {
    document.getElementById("status").textContent = `cannot reach the dashboard server: ${e.message}`;
  }
}
poll();
setInterval(poll, 1000);
)js";

constexpr const char* kDashboardCss = R"css(
.tier dl { display: grid; grid-template-columns: auto auto; gap: 0 10px; margin: 4px 0 0; }
.tier dt { color: #666; font-size: 12px; } .tier dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
)css";

// What each tier's panel shows: label and "<counter>:<rate|total|ratio>" (see updateTiers).
struct TierPanel {
  const char* kind;
  const char* title;
  std::vector<std::pair<const char*, const char*>> values;
};

const std::vector<TierPanel>& tierPanels() {
  static const std::vector<TierPanel> panels = {
      {"edge", "Edge PoPs", {{"requests/s", "requests:rate"}, {"hit ratio (last s)", "hits:ratio"}, {"to the shield/s", "upstream:rate"}}},
      {"shield", "Shield", {{"requests/s", "requests:rate"}, {"hit ratio (last s)", "hits:ratio"}, {"to the origin/s", "upstream:rate"}}},
      {"gateway", "API Gateway", {{"requests/s", "requests:rate"}, {"4xx/s", "4xx:rate"}, {"5xx/s", "5xx:rate"}, {"throttled", "throttled:total"}}},
      {"lambda", "Lambda", {{"invocations/s", "requests:rate"}, {"running now", "running:total"}, {"cold starts", "cold_starts:total"}, {"throttles", "throttles:total"}, {"errors", "errors:total"}}},
      {"store", "Store", {{"reads/s", "reads:rate"}, {"writes/s", "writes:rate"}, {"RCU/s", "rcu:rate"}, {"WCU/s", "wcu:rate"}, {"4xx (rejected)", "rejected:total"}}},
      {"origin", "Origin (catalog)", {{"requests/s", "requests:rate"}}},
  };
  return panels;
}

std::string liveChart(const char* plot, const char* svgId, const char* caption) {
  return std::string("<figure class=\"plot\" id=\"plot-") + plot + "\" data-plot=\"" + plot +
         "\" data-points=\"0\"><figcaption>" + caption + "</figcaption><svg id=\"" + svgId +
         "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 220\"></svg></figure>\n";
}

}  // namespace

std::string renderDashboardPage(const geo::Topology& topo, const std::vector<WatchedComponent>& components) {
  auto has = [&](std::string_view kind) {
    return std::any_of(components.begin(), components.end(), [&](const WatchedComponent& c) { return c.kind == kind; });
  };
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>cdnlab live</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>";
  o += kPageCss;
  o += kDashboardCss;
  o += "</style></head>\n<body data-polls=\"0\">\n<h1>cdnlab live</h1>\n<p class=\"sub\" id=\"status\">waiting for the "
       "first update</p>\n";
  // One panel per tier the topology has, in request order: client -> edge -> shield -> gateway
  // -> Lambda -> store (and the catalog origin).
  o += "<div class=\"figures\" id=\"tiers\">\n";
  for (const auto& panel : tierPanels()) {
    if (!has(panel.kind)) continue;
    o += std::string("<div class=\"figure tier\" data-panel=\"") + panel.kind + "\"><div class=\"k\">" + panel.title + "</div><dl>";
    for (const auto& [label, field] : panel.values)
      o += std::string("<dt>") + escapeXml(label) + "</dt><dd data-tier=\"" + panel.kind + "\" data-field=\"" + field + "\">-</dd>";
    o += "</dl></div>\n";
  }
  o += "</div>\n";
  o += renderWorldMap(topo, nullptr);
  o += liveChart("live-hit-ratio", "live-chart", "Hit ratio per second, per PoP");
  if (has("gateway") || has("lambda") || has("store"))
    o += liveChart("live-tiers", "live-tiers-chart", "Application tier per second: gateway, Lambda, store");
  if (has("store")) o += liveChart("live-capacity", "live-capacity-chart", "Store: capacity units consumed per second");
  o += "<h2>Components</h2>\n<table id=\"table-components\"><tr><th>component</th><th>kind</th><th>city</th><th>state</th>"
       "<th>requests</th><th>requests/s</th><th>hit ratio (last s)</th><th>hit ratio (all)</th><th>to upstream</th><th>cold starts</th></tr>\n";
  for (const auto& c : components) {
    std::string id = escapeXml(c.id);
    o += "<tr><td>" + id + "</td><td>" + escapeXml(c.kind) + "</td><td>" + escapeXml(c.city) + "</td>";
    for (const char* field : {"up", "requests", "rate", "hit", "hit-total", "upstream", "cold-starts"})
      o += "<td data-id=\"" + id + "\" data-field=\"" + field + "\">-</td>";
    o += "</tr>\n";
  }
  o += "</table>\n<script>";
  o += kScript;
  o += "</script>\n</body></html>\n";
  return o;
}

}  // namespace cdnlab::report
