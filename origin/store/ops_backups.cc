// DescribeContinuousBackups / UpdateContinuousBackups: the point-in-time-recovery flag of a table,
// kept in its metadata. Continuous backups are always ENABLED on DynamoDB; PITR is the switch.
// (The store keeps no backups to restore from: the flag is reported, as DynamoDB Local does.)
#include "origin/store/json_out.h"
#include "origin/store/request_util.h"
#include "origin/store/service.h"

namespace cdnlab::store {
namespace {

void writeBackupsDescription(const TableDesc& t, JsonWriter& w) {
  w.StartObject();
  key(w, "ContinuousBackupsDescription");
  w.StartObject();
  kv(w, "ContinuousBackupsStatus", "ENABLED");
  key(w, "PointInTimeRecoveryDescription");
  w.StartObject();
  kv(w, "PointInTimeRecoveryStatus", t.pitrEnabled ? "ENABLED" : "DISABLED");
  if (t.pitrEnabled) {
    key(w, "RecoveryPeriodInDays");
    w.Int(35);
    key(w, "EarliestRestorableDateTime");
    w.Double(t.creationTime);
    key(w, "LatestRestorableDateTime");
    w.Double(t.creationTime);
  }
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

}  // namespace

bool Service::describeContinuousBackups(const Doc& d, Out& out, ApiError& err) {
  auto st = requireTable(d, err);
  if (!st) {
    if (err.type.ends_with("ResourceNotFoundException")) {
      auto n = stringMember(d, "TableName", err);
      err = dynamoError("TableNotFoundException", "Table not found: " + std::string(n ? *n : ""));
    }
    return false;
  }
  writeBackupsDescription(*st->schema(), out.w);
  return true;
}

bool Service::updateContinuousBackups(const Doc& d, Out& out, ApiError& err) {
  std::lock_guard<std::mutex> control(catalog_.controlMutex());
  const auto* spec = member(d, "PointInTimeRecoverySpecification");
  const auto* en = spec ? member(*spec, "PointInTimeRecoveryEnabled") : nullptr;
  bool enable = en && en->IsBool() && en->GetBool();
  auto st = requireTable(d, err);
  if (!st) {
    if (err.type.ends_with("ResourceNotFoundException")) {
      auto n = stringMember(d, "TableName", err);
      err = dynamoError("TableNotFoundException", "Table not found: " + std::string(n ? *n : ""));
    }
    return false;
  }
  TableDesc t = *st->schema();
  t.pitrEnabled = enable;
  if (!publishSchema(*st, t, out, err)) return false;
  writeBackupsDescription(t, out.w);
  return true;
}

}  // namespace cdnlab::store
