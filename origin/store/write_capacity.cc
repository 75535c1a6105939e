// Write capacity with its index arms (write_capacity.h).
#include "origin/store/write_capacity.h"

#include "origin/store/store_metrics.h"

namespace cdnlab::store {
namespace {

double unitsOf(const IndexDesc& i, const WriteDelta& d) { return d.indexUnits[i.id % TableStats::kMaxIndexes]; }

void writeArms(JsonWriter& w, const TableDesc& t, const WriteDelta& d, bool global) {
  bool open = false;
  for (const auto& i : t.indexes) {
    if (i.global != global || unitsOf(i, d) == 0) continue;
    if (!open) {
      key(w, global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
      w.StartObject();
      open = true;
    }
    key(w, i.name);
    w.StartObject();
    key(w, "CapacityUnits");
    w.Double(unitsOf(i, d));
    w.EndObject();
  }
  if (open) w.EndObject();
}

double sumUnits(const TableDesc& t, const WriteDelta& d, bool localOnly) {
  double u = 0;
  for (const auto& i : t.indexes)
    if (!localOnly || !i.global) u += unitsOf(i, d);
  return u;
}

}  // namespace

double localIndexUnits(const TableDesc& t, const WriteDelta& d) { return sumUnits(t, d, true); }

double indexUnits(const TableDesc& t, const WriteDelta& d) { return sumUnits(t, d, false); }

void scaleIndexUnits(WriteDelta& d, double factor) {
  for (double& u : d.indexUnits) u *= factor;
}

void meterIndexUnits(const TableDesc& t, const WriteDelta& d) { capacityMeter().writeUnits += indexUnits(t, d); }

void writeWriteCapacity(JsonWriter& w, const TableDesc& t, double tableUnits, const WriteDelta& d, CapacityMode mode) {
  w.StartObject();
  kv(w, "TableName", t.name);
  key(w, "CapacityUnits");
  w.Double(tableUnits + indexUnits(t, d));
  if (mode == CapacityMode::Indexes) {
    key(w, "Table");
    w.StartObject();
    key(w, "CapacityUnits");
    w.Double(tableUnits);
    w.EndObject();
    writeArms(w, t, d, true);
    writeArms(w, t, d, false);
  }
  w.EndObject();
}

}  // namespace cdnlab::store
