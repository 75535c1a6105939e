// Provisioned throughput on the request path: each operation asks admitCapacity before it
// touches the engine and pays the rest of its cost with chargeCapacity once it knows the bytes.
// The buckets themselves are in throughput.cc.
#include "origin/store/service.h"

namespace cdnlab::store {
namespace {

double ratePerSecond(const TableDesc& desc, bool read) {
  return static_cast<double>(read ? desc.readCapacity : desc.writeCapacity);
}

}  // namespace

bool Service::admitCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double estimate) {
  if (!throttles(desc)) return true;
  const bool read = kind == CapacityKind::Read;
  const double rate = ratePerSecond(desc, read);
  if (rate <= 0) return true;
  CapacityBucket& bucket = read ? st.readCapacity : st.writeCapacity;
  return bucket.admit(rate, options_.burstSeconds, clock_.nowNs(), estimate);
}

bool Service::admitCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double estimate, ApiError& err) {
  if (admitCapacity(st, desc, kind, estimate)) return true;
  err = throughputExceeded();
  return false;
}

void Service::chargeCapacity(TableState& st, const TableDesc& desc, CapacityKind kind, double extra) {
  if (!throttles(desc) || extra == 0) return;
  (kind == CapacityKind::Read ? st.readCapacity : st.writeCapacity).charge(extra);
}

}  // namespace cdnlab::store
