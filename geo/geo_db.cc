#include "geo/geo_db.h"

#include <cerrno>
#include <cstring>

namespace cdnlab::geo {
namespace {

std::string getString(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s d;
  if (MMDB_aget_value(entry, &d, path) != MMDB_SUCCESS || !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING)
    return {};
  return std::string(d.utf8_string, d.data_size);
}

std::optional<double> getDouble(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s d;
  if (MMDB_aget_value(entry, &d, path) != MMDB_SUCCESS || !d.has_data) return std::nullopt;
  if (d.type == MMDB_DATA_TYPE_DOUBLE) return d.double_value;
  if (d.type == MMDB_DATA_TYPE_FLOAT) return d.float_value;
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<GeoDb>> GeoDb::open(const std::string& path) {
  std::unique_ptr<GeoDb> db(new GeoDb());
  const int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->mmdb_);
  if (rc != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(rc);
    if (rc == MMDB_IO_ERROR) why += std::string(": ") + std::strerror(errno);
    db.reset();  // MMDB_open cleans up after itself on failure; nothing to close
    return Error{rc, "cannot open MaxMind DB " + path + ": " + why};
  }
  db->path_ = path;
  return db;
}

GeoDb::~GeoDb() {
  if (!path_.empty()) MMDB_close(&mmdb_);
}

Result<std::optional<GeoRecord>> GeoDb::lookup(std::string_view ip) const {
  int gaiError = 0, mmdbError = 0;
  const std::string s(ip);
  auto res = MMDB_lookup_string(const_cast<MMDB_s*>(&mmdb_), s.c_str(), &gaiError, &mmdbError);
  if (gaiError != 0) return Error{gaiError, "not an IP address: \"" + s + "\""};
  if (mmdbError != MMDB_SUCCESS) return Error{mmdbError, std::string(MMDB_strerror(mmdbError)) + " (" + s + ")"};
  return decode(res, s.find(':') == std::string::npos);
}

Result<std::optional<GeoRecord>> GeoDb::lookup(const sockaddr* addr) const {
  int mmdbError = 0;
  auto res = MMDB_lookup_sockaddr(const_cast<MMDB_s*>(&mmdb_), addr, &mmdbError);
  if (mmdbError != MMDB_SUCCESS) return Error{mmdbError, MMDB_strerror(mmdbError)};
  return decode(res, addr->sa_family == AF_INET);
}

Result<std::optional<GeoRecord>> GeoDb::decode(MMDB_lookup_result_s& res, bool v4) const {
  if (!res.found_entry) return std::optional<GeoRecord>{};
  static const char* const kCity[] = {"city", "names", "en", nullptr};
  static const char* const kCountry[] = {"country", "iso_code", nullptr};
  static const char* const kLat[] = {"location", "latitude", nullptr};
  static const char* const kLon[] = {"location", "longitude", nullptr};
  static const char* const kRegion[] = {"cdnlab", "region", nullptr};
  GeoRecord r;
  r.city = getString(&res.entry, kCity);
  r.countryIso = getString(&res.entry, kCountry);
  r.region = getString(&res.entry, kRegion);
  auto lat = getDouble(&res.entry, kLat), lon = getDouble(&res.entry, kLon);
  if (lat && lon) r.location = GeoPoint{*lat, *lon};
  // libmaxminddb counts an IPv4 address's netmask from the root of an IPv6 tree (::/96 + n).
  r.prefixLen = v4 && mmdb_.metadata.ip_version == 6 && res.netmask >= 96 ? res.netmask - 96 : res.netmask;
  return std::optional<GeoRecord>(std::move(r));
}

}  // namespace cdnlab::geo
