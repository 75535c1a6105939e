// The CPU cost of one native edge function at viewer-request, split the way the PoP splits it:
// on the worker loop (build the Lambda@Edge event, validate and parse the result) and on the
// function thread (the built-in normalize-query: parse the event, rewrite, serialise).
// Run: ./build/bench/edge_function_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include "lambda/edge/event.h"
#include "lambda/edge/result.h"
#include "lambda/native/registry.h"

namespace {

using namespace cdnlab::lambda;

edge::EdgeRequest sampleRequest() {
  edge::EdgeRequest r;
  r.clientIp = "127.0.0.1";
  r.uri = "/obj/1";
  r.querystring = "b=2&a=1";
  r.headers.add("Host", "127.0.0.1:8080");
  r.headers.add("User-Agent", "wrk");
  r.headers.add("Accept", "*/*");
  return r;
}

void BM_EdgeBuildEvent(benchmark::State& state) {
  edge::EdgeRequest r = sampleRequest();
  edge::EdgeConfig c{"127.0.0.1:8080", "pop1", "pop1-0000000000000001"};
  for (auto _ : state) benchmark::DoNotOptimize(edge::buildEvent(edge::Trigger::ViewerRequest, c, r, nullptr));
}
BENCHMARK(BM_EdgeBuildEvent);

void BM_EdgeNormalizeQueryHandler(benchmark::State& state) {
  auto fn = native::Registry::global().find("normalize-query");
  std::string event = edge::buildEvent(edge::Trigger::ViewerRequest, {"h", "p", "r"}, sampleRequest(), nullptr);
  for (auto _ : state) {
    native::NativeOutput out;
    native::callNative(*fn, event, {}, out);
    benchmark::DoNotOptimize(out.payload.data());
  }
}
BENCHMARK(BM_EdgeNormalizeQueryHandler);

void BM_EdgeParseResult(benchmark::State& state) {
  auto fn = native::Registry::global().find("normalize-query");
  edge::EdgeRequest r = sampleRequest();
  std::string event = edge::buildEvent(edge::Trigger::ViewerRequest, {"h", "p", "r"}, r, nullptr);
  native::NativeOutput out;
  native::callNative(*fn, event, {}, out);
  for (auto _ : state) benchmark::DoNotOptimize(edge::parseFunctionResult(edge::Trigger::ViewerRequest, out.payload, r, nullptr));
}
BENCHMARK(BM_EdgeParseResult);

}  // namespace

BENCHMARK_MAIN();
