// Huge-page mappings for the index's large arrays (huge_pages.h): mmap a little more than asked,
// trim to a 2 MiB boundary, madvise(MADV_HUGEPAGE).
#include "edge/cache/huge_pages.h"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace cdnlab::edge::cache {

namespace {

bool enabledFromEnvironment() {
  const char* v = std::getenv("CDNLAB_HUGE_PAGES");
  return !(v && std::strcmp(v, "0") == 0);
}

std::atomic<bool> gEnabled{enabledFromEnvironment()};
std::atomic<size_t> gMappedBytes{0};

constexpr size_t kSmallPage = 4096;
size_t roundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

void setHugePages(bool on) { gEnabled.store(on, std::memory_order_relaxed); }
bool hugePagesEnabled() { return gEnabled.load(std::memory_order_relaxed); }
size_t largeArrayBytes() { return gMappedBytes.load(std::memory_order_relaxed); }

void* mapLargeArray(size_t bytes) {
  const size_t length = roundUp(bytes, kSmallPage);
  // Over-map by 2 MiB less a page so that a 2 MiB boundary falls inside, then give back the
  // head and the tail: the kernel places huge pages only at 2 MiB-aligned addresses.
  const size_t span = length + kHugePageBytes - kSmallPage;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = roundUp(start, kHugePageBytes);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + span;
  if (end > aligned + length) munmap(reinterpret_cast<void*>(aligned + length), end - (aligned + length));
  void* p = reinterpret_cast<void*>(aligned);
  if (hugePagesEnabled()) (void)madvise(p, length, MADV_HUGEPAGE);  // no THP: 4 KiB pages
  gMappedBytes.fetch_add(length, std::memory_order_relaxed);
  return p;
}

void unmapLargeArray(void* p, size_t bytes) {
  const size_t length = roundUp(bytes, kSmallPage);
  munmap(p, length);
  gMappedBytes.fetch_sub(length, std::memory_order_relaxed);
}

size_t hugePageBytesIn(const void* p, size_t bytes) {
  const uintptr_t lo = reinterpret_cast<uintptr_t>(p), hi = lo + bytes;
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool overlaps = false;
  size_t total = 0;
  while (std::getline(smaps, line)) {
    uintptr_t start = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> start >> dash >> end && dash == '-') {
      overlaps = start < hi && lo < end;
      continue;
    }
    size_t kib = 0;
    if (overlaps && std::sscanf(line.c_str(), "AnonHugePages: %zu kB", &kib) == 1) total += kib << 10;
  }
  return total;
}

}  // namespace cdnlab::edge::cache
