// The run report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched)
// with the run's key figures, the topology map, the plots and the tables. What `cdnlab report`
// and `cdnlab demo` write. Pure.
#pragma once

#include <string>

#include "geo/topology.h"
#include "report/run_data.h"

namespace cdnlab::report {

// `topology` may be null (the run's topology file is gone): the map and the modelled split of
// the tier breakdown are then left out, with a sentence saying why.
std::string renderHtmlReport(const RunData& run, const geo::Topology* topology);

}  // namespace cdnlab::report
