// Throughput on the request path: each operation asks admitCapacity before it touches the engine
// and pays the rest of its cost with chargeCapacity / chargeWrite once it knows the bytes. A
// PROVISIONED table draws on its capacity units with up to --burst-seconds kept. An on-demand
// table with a maximum (OnDemandThroughput), and each of its global indexes with one, draw on that
// maximum per second with no burst kept: DynamoDB throttles what exceeds it (Developer Guide,
// "DynamoDB maximum throughput for on-demand tables"). The buckets themselves are in
// throughput.cc.
#include "origin/store/service.h"
#include "origin/store/write_capacity.h"

namespace cdnlab::store {
namespace {

// Units per second, 0 for no limit (an on-demand table without that maximum, or -1).
double ratePerSecond(const TableDesc& desc, bool read) {
  if (desc.payPerRequest)
    return static_cast<double>(std::max<int64_t>(0, read ? desc.maxReadRequestUnits : desc.maxWriteRequestUnits));
  return static_cast<double>(read ? desc.readCapacity : desc.writeCapacity);
}

// An on-demand table's global index's maximum, 0 for none (a provisioned table's indexes draw on
// the table's buckets: their own capacity is not modelled).
double indexRatePerSecond(const TableDesc& desc, const IndexDesc& i, bool read) {
  if (!desc.payPerRequest || !i.global) return 0;
  return static_cast<double>(std::max<int64_t>(0, read ? i.maxReadRequestUnits : i.maxWriteRequestUnits));
}

int slotOf(const IndexDesc& i) { return static_cast<int>(i.id % TableStats::kMaxIndexes); }

// A read of a global index of an on-demand table is the index's, not the table's.
bool readsIndexOnly(const TableDesc& desc, const IndexDesc* readIndex) {
  return readIndex && readIndex->global && desc.payPerRequest;
}

std::string indexArn(const std::string& region, const TableDesc& desc, const IndexDesc& i) {
  return tableArn(region, desc.name) + "/index/" + i.name;
}

}  // namespace

bool Service::admitCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double estimate) {
  ApiError ignored;
  return admitCapacity(st, desc, kind, estimate, ignored);
}

bool Service::admitCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double estimate, ApiError& err,
                            const IndexDesc* readIndex) {
  if (!throttles(desc)) return true;
  const int64_t now = clock_.nowNs();
  const bool read = kind == CapacityKind::Read;
  if (read && readsIndexOnly(desc, readIndex)) {
    const double rate = indexRatePerSecond(desc, *readIndex, true);
    if (rate <= 0 || st.indexReadCapacity[slotOf(*readIndex)].admit(rate, 1, now, estimate)) return true;
    err = onDemandMaximumExceeded("IndexReadMaxOnDemandThroughputExceeded", indexArn(options_.region, desc, *readIndex));
    return false;
  }
  const double rate = ratePerSecond(desc, read);
  CapacityBucket& bucket = read ? st.readCapacity : st.writeCapacity;
  if (rate > 0 && !bucket.admit(rate, desc.payPerRequest ? 1 : options_.burstSeconds, now, estimate)) {
    err = capacityExceeded(desc, kind);
    return false;
  }
  if (read) return true;
  // "In order for a table write to succeed, the provisioned throughput settings for the table and
  // all of its global secondary indexes must have enough write capacity to accommodate the write"
  // (Developer Guide, GSI throughput considerations): each capped index must hold a write unit.
  // What the write really costs an index is known once it is planned (chargeWrite).
  for (const auto& i : desc.indexes) {
    const double indexRate = indexRatePerSecond(desc, i, false);
    if (indexRate <= 0) continue;
    CapacityBucket& indexBucket = st.indexWriteCapacity[slotOf(i)];
    if (indexBucket.admit(indexRate, 1, now, 1)) {
      indexBucket.charge(-1);
      continue;
    }
    if (rate > 0) bucket.charge(-estimate);
    err = onDemandMaximumExceeded("IndexWriteMaxOnDemandThroughputExceeded", indexArn(options_.region, desc, i));
    return false;
  }
  return true;
}

void Service::chargeCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double extra,
                             const IndexDesc* readIndex) {
  if (!throttles(desc) || extra == 0) return;
  const bool read = kind == CapacityKind::Read;
  if (read && readsIndexOnly(desc, readIndex)) {
    if (indexRatePerSecond(desc, *readIndex, true) > 0) st.indexReadCapacity[slotOf(*readIndex)].charge(extra);
    return;
  }
  if (ratePerSecond(desc, read) <= 0) return;
  (read ? st.readCapacity : st.writeCapacity).charge(extra);
}

void Service::chargeWrite(TableState& st, const TableDesc& desc, double tableExtra, const WriteDelta& d) {
  if (!throttles(desc)) return;  // every write passes here: nothing to sum without --enforce-throughput
  chargeCapacity(st, desc, CapacityKind::Write, tableExtra + localIndexUnits(desc, d));
  for (const auto& i : desc.indexes) {
    const double units = d.indexUnits[slotOf(i)];
    if (units != 0 && indexRatePerSecond(desc, i, false) > 0) st.indexWriteCapacity[slotOf(i)].charge(units);
  }
}

ApiError Service::capacityExceeded(const TableDesc& desc, CapacityKind kind) const {
  const bool read = kind == CapacityKind::Read;
  if (desc.payPerRequest)
    return onDemandMaximumExceeded(read ? "TableReadMaxOnDemandThroughputExceeded" : "TableWriteMaxOnDemandThroughputExceeded",
                                   tableArn(options_.region, desc.name));
  ApiError e = throughputExceeded();
  addThrottlingReason(e, "ThrottlingReasons",
                      read ? "TableReadProvisionedThroughputExceeded" : "TableWriteProvisionedThroughputExceeded",
                      tableArn(options_.region, desc.name));
  return e;
}

}  // namespace cdnlab::store
