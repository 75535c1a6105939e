// The trace readers: the four encodings of the CloudPhysics sample agree, zstd is transparent,
// and bad traces stop with the file, the record and the reason.
#include "bench/sim/trace_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "bench/sim/zipf_trace.h"
#include "tests/sim/sim_test_util.h"

namespace cdnlab::sim {
namespace {

using testing::dataPath;

Trace loadOk(const std::string& file, TraceFormat f) {
  auto t = loadTrace(dataPath(file), f);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? std::move(*t) : Trace{};
}

TEST(TraceReader, FourEncodingsSameRequestsAndObjects) {
  TraceFormat bin;
  TraceFormat vscsi;
  vscsi.kind = TraceKind::Vscsi;
  TraceFormat csv;
  csv.kind = TraceKind::Csv;
  csv.header = true, csv.timeCol = 2, csv.idCol = 5, csv.sizeCol = 4;
  TraceFormat txt;
  txt.kind = TraceKind::Txt;
  Trace a = loadOk("cloudPhysicsIO.oracleGeneral.bin.zst", bin);
  Trace b = loadOk("cloudPhysicsIO.vscsi.zst", vscsi);
  Trace c = loadOk("cloudPhysicsIO.csv.zst", csv);
  Trace d = loadOk("cloudPhysicsIO.txt.zst", txt);
  for (const Trace* t : {&a, &b, &c, &d}) {
    EXPECT_EQ(t->requests.size(), 113872u) << t->source;
    EXPECT_EQ(t->objects(), 48974u) << t->source;
  }
  // Same object sequence in every encoding (the dense numbers follow first appearance).
  for (size_t i = 0; i < a.requests.size(); ++i) {
    ASSERT_EQ(a.requests[i].obj, b.requests[i].obj) << i;
    ASSERT_EQ(a.requests[i].obj, c.requests[i].obj) << i;
    ASSERT_EQ(a.requests[i].obj, d.requests[i].obj) << i;
  }
  EXPECT_EQ(a.keys[0], 42932745u);
  // cachesim reads a text trace's ids as strings, numbered from 1 in order of first appearance
  // (GLib quarks): those numbers are the keys, where the other encodings keep the LBN.
  EXPECT_EQ(b.keys[0], 42932745u);
  EXPECT_EQ(c.keys[0], 42932745u);
  EXPECT_EQ(d.keys[0], 1u);
  EXPECT_EQ(d.keys[d.requests[5000].obj], uint64_t(d.requests[5000].obj) + 1);
  EXPECT_EQ(a.requests[0].size, 512u);
  EXPECT_EQ(a.requests[0].time, 5633898u);
  EXPECT_EQ(b.requests[0].time, 5633898u);  // vSCSI microseconds -> seconds
  // Object mode gives the same misses whatever the encoding.
  for (const Trace* t : {&b, &c, &d})
    EXPECT_EQ(testing::misses(*t, "lru", 1469), testing::misses(a, "lru", 1469)) << t->source;
}

TEST(TraceReader, NextAccessLinks) {
  Trace t = testing::letters("abab");
  EXPECT_EQ(t.requests[0].next, 2u);
  EXPECT_EQ(t.requests[1].next, 3u);
  EXPECT_EQ(t.requests[2].next, Request::kNever);
}

TEST(TraceReader, TruncatedBinaryRecordNamesTheRecord) {
  std::string bytes = zipfTraceBytes(ZipfTraceSpec{10, 1.0, 5, 1, 1, 3, 1});
  bytes.resize(bytes.size() - 7);
  auto t = parseTrace(bytes, "cut.bin", TraceFormat{});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("cut.bin: record 5: truncated record (17 of 24 bytes"), std::string::npos)
      << t.error().message;
}

TEST(TraceReader, ZeroSizeOracleRequestsAreSkipped) {
  std::string bytes = zipfTraceBytes(ZipfTraceSpec{10, 1.0, 4, 1, 1, 3, 1});
  std::memset(bytes.data() + 24 + 12, 0, 4);  // record 2: size 0
  auto t = parseTrace(bytes, "z.bin", TraceFormat{});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->requests.size(), 3u);
}

TEST(TraceReader, BadCsvColumnNamesLineAndColumn) {
  TraceFormat f;
  f.kind = TraceKind::Csv;
  f.timeCol = 1, f.idCol = 2, f.sizeCol = 3;
  auto t = parseTrace("1,a,10\n2,b,x\n", "bad.csv", f);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "bad.csv: record 2: size (column 3) 'x' is not a whole number");
  auto few = parseTrace("1,a\n", "few.csv", f);
  ASSERT_FALSE(few.ok());
  EXPECT_NE(few.error().message.find("few.csv: record 1: has 2 columns"), std::string::npos);
}

TEST(TraceReader, CdnLogHashesUrlsAndSkipsItsHeader) {
  TraceFormat f;
  f.kind = TraceKind::CdnLog;
  f.timeCol = 1, f.idCol = 2, f.sizeCol = 3;
  auto t = parseTrace("time,url,size,ttl\n10,/a.jpg,100,60\n11,/b.jpg,200,60\n12,/a.jpg,100,60\n", "log.csv", f);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->requests.size(), 3u);
  EXPECT_EQ(t->objects(), 2u);
  EXPECT_EQ(t->workingSetBytes(), 300u);
}

TEST(TraceReader, UnknownFormatsAndNonVscsiFiles) {
  EXPECT_FALSE(parseTraceKind("parquet").ok());
  EXPECT_NE(parseTraceKind("parquet").error().message.find("oracleGeneral"), std::string::npos);
  EXPECT_EQ(*guessTraceKind("x/cloudPhysicsIO.oracleGeneral.bin.zst"), TraceKind::OracleGeneral);
  TraceFormat f;
  f.kind = TraceKind::Vscsi;
  auto t = parseTrace(std::string(100, '\x07'), "junk.vscsi", f);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("junk.vscsi: record 1: not a vSCSI"), std::string::npos);
  EXPECT_FALSE(loadTrace("/nonexistent/trace.bin", TraceFormat{}).ok());
}

TEST(TraceReader, CorruptZstdIsAnError) {
  std::string z = "\x28\xb5\x2f\xfd" + std::string(64, '\x55');
  char path[] = "/tmp/cdnlab_zstd_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, z.data(), z.size()), ssize_t(z.size()));
  close(fd);
  auto t = loadTrace(path, TraceFormat{});
  unlink(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("zstd"), std::string::npos);
}

}  // namespace
}  // namespace cdnlab::sim
