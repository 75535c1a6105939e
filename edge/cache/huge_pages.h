// Huge pages for the cache index's large arrays (the store's slot tables and per-item arrays,
// the policies' per-item state, the simulator's per-object arrays). A hit at 1M objects reads a
// few lines scattered over tens of MiB; on 4 KiB pages every one of them is also a TLB miss,
// and in a virtual machine a nested page walk (up to 24 memory references). Arrays of at least
// kHugePageBytes are mapped 2 MiB-aligned and marked MADV_HUGEPAGE, so that with transparent
// huge pages in "madvise" (or "always") mode the kernel backs each whole 2 MiB of them with one
// huge page; the tail past the last whole 2 MiB stays on 4 KiB pages (no memory is rounded up).
// Where the kernel has no THP the madvise fails and the arrays simply stay on 4 KiB pages.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace cdnlab::edge::cache {

inline constexpr size_t kHugePageBytes = size_t(2) << 20;

// Process-wide switch, on by default; CDNLAB_HUGE_PAGES=0 in the environment turns it off. The
// benchmarks flip it to measure the same index with and without. An array keeps the pages it
// was mapped with: the switch applies to arrays mapped after the change.
void setHugePages(bool on);
bool hugePagesEnabled();

// Maps `bytes` (>= kHugePageBytes) 2 MiB-aligned, zero-filled, MADV_HUGEPAGE when enabled (a
// failed madvise is ignored). nullptr when the mapping fails.
void* mapLargeArray(size_t bytes);
void unmapLargeArray(void* p, size_t bytes);
// Bytes currently mapped by mapLargeArray (index-memory benchmarks: they bypass operator new).
size_t largeArrayBytes();
// Bytes of [p, p + bytes) the kernel backs with huge pages now (AnonHugePages of the mappings
// in /proc/self/smaps that overlap it, whole mappings counted): how a benchmark shows that its
// array really sits on huge pages. 0 when it cannot tell.
size_t hugePageBytesIn(const void* p, size_t bytes);

// std::allocator for vectors that may grow large: below kHugePageBytes it is std::allocator,
// from there on each buffer is its own 2 MiB-aligned huge-page mapping. The choice depends on
// the size alone, so deallocate() takes the same path allocate() did.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return std::allocator<T>{}.allocate(n);
    if (void* p = mapLargeArray(bytes)) return static_cast<T*>(p);
    throw std::bad_alloc();
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) std::allocator<T>{}.deallocate(p, n);
    else unmapLargeArray(p, bytes);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
};

}  // namespace cdnlab::edge::cache

namespace cdnlab::edge::cache {

// The index's arrays: a std::vector whose buffer goes on huge pages once it reaches 2 MiB.
template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace cdnlab::edge::cache
