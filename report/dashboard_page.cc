// The dashboard page (see dashboard_page.h). The map and the table are drawn by the server
// like the report's; the script only changes numbers and appends points, so the page also
// shows the topology when the script or the components are down.
#include "report/dashboard_page.h"

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
let last = null;
const history = {};  // PoP id -> [[t, hitRatio]]
function rate(now, before, key, dt) {
  if (!before || now[key] === undefined || before[key] === undefined || dt <= 0) return null;
  return Math.max(0, (now[key] - before[key]) / dt);
}
function setCell(id, field, text) {
  const cell = document.querySelector(`td[data-id="${CSS.escape(id)}"][data-field="${field}"]`);
  if (cell) cell.textContent = text;
}
function drawHistory() {
  const svg = document.getElementById("live-chart");
  const W = 720, H = 220, L = 50, R = 150, T = 10, B = 30;
  const now = Date.now() / 1000;
  let html = `<rect class="frame" x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}"/>`;
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    const y = T + (1 - p) * (H - T - B);
    html += `<line class="grid" x1="${L}" x2="${W - R}" y1="${y}" y2="${y}"/><text class="tick" x="${L - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${p * 100}%</text>`;
  }
  html += `<text class="axis" x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">last ${HISTORY_S / 60} minutes</text>`;
  const colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  let i = 0, points = 0;
  for (const [id, pts] of Object.entries(history)) {
    const color = colors[i % colors.length];
    const xy = pts.map(([t, v]) => [L + (1 - (now - t) / HISTORY_S) * (W - L - R), T + (1 - v) * (H - T - B)]);
    if (xy.length) {
      html += `<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${xy.map(p => p.join(",")).join(" ")}"/>`;
      for (const [x, y] of xy) html += `<circle class="pt" data-series="${id}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2" fill="${color}"/>`;
      points += xy.length;
    }
    html += `<text class="legend" x="${W - R + 10}" y="${T + 8 + 16 * i}" fill="${color}">${id}</text>`;
    i++;
  }
  svg.innerHTML = html;
  svg.closest("figure").dataset.points = String(points);
}
async function poll() {
  try {
    const response = await fetch("/api/state", {cache: "no-store"});
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const state = await response.json();
    const dt = last ? state.time - last.time : 0;
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
        (history[c.id] = history[c.id] || []).push([state.time, ratio]);
        const label = document.querySelector(`#plot-map [data-id="${CSS.escape(c.id)}"] title`);
        if (label) label.textContent = `${c.id}: hit ratio ${(100 * ratio).toFixed(1)} % over the last second`;
      }
      if (c.counters.hits !== undefined && c.counters.requests) setCell(c.id, "hit-total", (100 * c.counters.hits / c.counters.requests).toFixed(1) + " %");
      if (c.counters.upstream !== undefined) setCell(c.id, "upstream", String(c.counters.upstream));
      if (c.counters.cold_starts !== undefined) setCell(c.id, "cold-starts", String(c.counters.cold_starts));
    }
    for (const pts of Object.values(history)) while (pts.length && pts[0][0] < state.time - HISTORY_S) pts.shift();
    drawHistory();
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

}  // namespace

std::string renderDashboardPage(const geo::Topology& topo, const std::vector<WatchedComponent>& components) {
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>cdnlab live</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>";
  o += kPageCss;
  o += "</style></head>\n<body data-polls=\"0\">\n<h1>cdnlab live</h1>\n<p class=\"sub\" id=\"status\">waiting for the "
       "first update</p>\n";
  o += renderWorldMap(topo, nullptr);
  o += "<figure class=\"plot\" id=\"plot-live-hit-ratio\" data-plot=\"live-hit-ratio\" data-points=\"0\"><figcaption>"
       "Hit ratio per second, per PoP</figcaption><svg id=\"live-chart\" xmlns=\"http://www.w3.org/2000/svg\" "
       "viewBox=\"0 0 720 220\"></svg></figure>\n";
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
