// The report's plots, each built from a run (and the topology it ran on) into a chart
// description from svg.h. One function per plot; the page (html_report.cc) only arranges them.
#pragma once

#include <string>

#include "geo/topology.h"
#include "report/run_data.h"
#include "report/svg.h"

namespace cdnlab::report {

// Hit ratio per second for each PoP, with the whole run's ratio as a reference line.
LineChart hitRatioOverTime(const RunData& run);
// Latency CDF per client region, hits solid and misses dashed (log ms axis): the gap between
// the two curves of a region is what a cache miss costs there.
LineChart latencyCdf(const RunData& run);
// Share of requests per second that the edge answered without going upstream, with the
// origin offload measured from the origin's own counters (and, when the run scraped the
// origin per second, the origin-side curve).
LineChart offloadOverTime(const RunData& run);
// Lambda cold starts (and invocations) per second, when the run scraped a Lambda service.
LineChart coldStartsOverTime(const RunData& run);
// Where one request's time goes, per client region: the edge (a hit's median), the trips to
// the shield and to the origin (the latency model's share of what a median miss adds), and
// the rest of the miss (origin, gateway, function, store service time and queueing; split
// per tier when the run measured those tiers).
StackedBarChart tierBreakdown(const RunData& run, const geo::Topology* topology);

}  // namespace cdnlab::report
