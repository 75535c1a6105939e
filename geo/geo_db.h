// Reads MaxMind DB files through libmaxminddb (every lookup goes through it: docs/architecture.md, geo):
// our own `cdnlab geo build` output and MaxMind's GeoIP2/GeoLite2 City databases alike, since
// both use the GeoIP2 City layout (city.names.en, location.latitude/longitude,
// country.iso_code) plus our `cdnlab.region`.
//
// Thread-safety: open once, then lookups from any thread (libmaxminddb reads an immutable
// mmap). Not copyable; the file stays mapped until the GeoDb is destroyed.
#pragma once

#include <maxminddb.h>
#include <sys/socket.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "geo/geo_point.h"

namespace cdnlab::geo {

struct GeoRecord {
  std::string city;        // city.names.en; empty when the record has none
  std::string countryIso;  // country.iso_code
  std::optional<GeoPoint> location;  // location.latitude/longitude; some records have none
  std::string region;      // cdnlab.region (our databases only)
  int prefixLen = 0;       // of the matching network (IPv4 addresses: 0..32)
};

class GeoDb {
 public:
  static Result<std::unique_ptr<GeoDb>> open(const std::string& path);
  ~GeoDb();
  GeoDb(const GeoDb&) = delete;
  GeoDb& operator=(const GeoDb&) = delete;

  // The record for an address: nullopt when the database has none (normal: most addresses
  // are unknown to a small database). An error only for a malformed address or a corrupt file.
  Result<std::optional<GeoRecord>> lookup(std::string_view ip) const;
  Result<std::optional<GeoRecord>> lookup(const sockaddr* addr) const;

  const std::string& path() const { return path_; }
  std::string databaseType() const { return mmdb_.metadata.database_type; }
  int ipVersion() const { return mmdb_.metadata.ip_version; }

 private:
  GeoDb() = default;
  Result<std::optional<GeoRecord>> decode(MMDB_lookup_result_s& res, bool v4) const;

  MMDB_s mmdb_{};
  std::string path_;
};

}  // namespace cdnlab::geo
