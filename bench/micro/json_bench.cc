// What one item costs on the store's JSON path (model/json.h): parse a PutItem-sized item from
// DynamoDB JSON into the data model, write it back, and the RapidJSON DOM parse alone for scale.
// The item is the YCSB-like record of the store benchmark (issue 4): 10 fields of 100 bytes plus
// a key. Run: ./build/bench/json_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <string>

#include "origin/store/model/json.h"

namespace {

std::string ycsbItemJson() {
  // Left open: the fields are appended below.
  std::string json = R"({"pk":{"S":"user6284781860667377211"},"n":{"N":"12345.678"})";
  for (int i = 0; i < 10; ++i) {
    json += ",\"field" + std::to_string(i) + "\":{\"S\":\"" + std::string(100, static_cast<char>('a' + i)) + "\"}";
  }
  json += "}";
  return json;
}

void BM_RapidJsonDomParse(benchmark::State& state) {
  const std::string json = ycsbItemJson();
  for (auto _ : state) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    benchmark::DoNotOptimize(doc.HasParseError());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_RapidJsonDomParse);

void BM_ParseItem(benchmark::State& state) {
  const std::string json = ycsbItemJson();
  if (!cdnlab::store::attributeMapFromJson(json).ok()) {
    state.SkipWithError("the benchmark item does not parse");
    return;
  }
  for (auto _ : state) {
    auto item = cdnlab::store::attributeMapFromJson(json);
    benchmark::DoNotOptimize(item.ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ParseItem);

void BM_WriteItem(benchmark::State& state) {
  const auto item = cdnlab::store::attributeMapFromJson(ycsbItemJson()).value();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = cdnlab::store::toJson(item);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriteItem);

}  // namespace

BENCHMARK_MAIN();
