// The index's huge-page arrays (edge/cache/huge_pages.h): large buffers are 2 MiB-aligned,
// zero-filled, marked for transparent huge pages when enabled and not when disabled, counted
// while mapped; small buffers come from the ordinary allocator.
#include "edge/cache/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace cdnlab::edge::cache {
namespace {

// The VmFlags line of the mapping that holds `p` in /proc/self/smaps ("" when not found).
std::string vmFlagsOf(const void* p) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= a && a < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool kernelHasThp() { return std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").good(); }

// Restores the process-wide switch after a test that flips it.
struct HugePagesSwitch {
  bool was = hugePagesEnabled();
  explicit HugePagesSwitch(bool on) { setHugePages(on); }
  ~HugePagesSwitch() { setHugePages(was); }
};

TEST(HugePages, LargeArrayIsAlignedZeroedAndKeepsItsContentsWhenItGrows) {
  const size_t before = largeArrayBytes();
  HugePageVector<uint64_t> v(3 * kHugePageBytes / sizeof(uint64_t) + 5);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  for (uint64_t x : v) ASSERT_EQ(x, 0u);
  for (size_t i = 0; i < v.size(); ++i) v[i] = i * 7;
  // Rounded to 4 KiB pages, not to a whole huge page.
  EXPECT_EQ(largeArrayBytes() - before, (v.size() * sizeof(uint64_t) + 4095) / 4096 * 4096);
  const size_t n = v.size();
  v.resize(n * 2);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(v[i], i * 7);
  for (size_t i = n; i < v.size(); ++i) ASSERT_EQ(v[i], 0u);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(largeArrayBytes(), before);
}

TEST(HugePages, SmallArrayUsesTheOrdinaryAllocator) {
  const size_t before = largeArrayBytes();
  HugePageVector<uint32_t> v(1000, 3);
  EXPECT_EQ(largeArrayBytes(), before);
  EXPECT_EQ(v[999], 3u);
}

TEST(HugePages, EnabledMarksTheMappingForHugePagesAndDisabledDoesNot) {
  if (!kernelHasThp()) GTEST_SKIP() << "kernel without transparent huge pages";
  {
    HugePagesSwitch on(true);
    HugePageVector<char> v(2 * kHugePageBytes);
    const std::string flags = vmFlagsOf(v.data());
    ASSERT_FALSE(flags.empty());
    EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  }
  {
    HugePagesSwitch off(false);
    HugePageVector<char> v(2 * kHugePageBytes);
    const std::string flags = vmFlagsOf(v.data());
    ASSERT_FALSE(flags.empty());
    EXPECT_EQ(flags.find(" hg"), std::string::npos) << flags;
  }
}

}  // namespace
}  // namespace cdnlab::edge::cache
