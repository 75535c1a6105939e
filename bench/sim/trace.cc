// Trace: working-set size and next-access links (the offline policies' oracle).
#include "bench/sim/trace.h"

namespace cdnlab::sim {

uint64_t Trace::workingSetBytes() const {
  uint64_t sum = 0;
  for (uint32_t s : firstSize) sum += s;
  return sum;
}

void Trace::linkNextAccesses() {
  std::vector<uint32_t> seen(keys.size(), Request::kNever);
  for (size_t i = requests.size(); i-- > 0;) {
    Request& r = requests[i];
    r.next = seen[r.obj];
    seen[r.obj] = uint32_t(i);
  }
}

}  // namespace cdnlab::sim
