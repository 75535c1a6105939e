// The data record `cdnlab geo build` stores for a client region, in the GeoIP2 City layout so
// that any GeoIP2 reader (mmdblookup, libmaxminddb, MaxMind's own libraries) understands it:
//   {city: {names: {en}}, country: {iso_code}, location: {latitude, longitude},
//    cdnlab: {region}}
#pragma once

#include <string_view>

#include "geo/geo_point.h"
#include "geo/mmdb_value.h"

namespace cdnlab::geo {

// countryIso may be empty (then no country map is written).
MmdbValue cityRecord(std::string_view city, std::string_view countryIso, GeoPoint location, std::string_view region);

}  // namespace cdnlab::geo
