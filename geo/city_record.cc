#include "geo/city_record.h"

namespace cdnlab::geo {

MmdbValue cityRecord(std::string_view city, std::string_view countryIso, GeoPoint location, std::string_view region) {
  MmdbValue rec = MmdbValue::map();
  rec.set("city", MmdbValue::map().set("names", MmdbValue::map().set("en", MmdbValue::utf8(city))));
  if (!countryIso.empty()) rec.set("country", MmdbValue::map().set("iso_code", MmdbValue::utf8(countryIso)));
  rec.set("location", MmdbValue::map()
                          .set("latitude", MmdbValue::dbl(location.lat))
                          .set("longitude", MmdbValue::dbl(location.lon)));
  rec.set("cdnlab", MmdbValue::map().set("region", MmdbValue::utf8(region)));
  return rec;
}

}  // namespace cdnlab::geo
