// libFuzzer target for mapping templates: any template text and any body must parse to a tree
// or an error, and render to text or an error - never a crash, a hang or a sanitizer report.
// Built with -DCDNLAB_FUZZ=ON (clang); run with scripts/fuzz.sh vtl [seconds].
// The input is the template, a NUL byte, then the body $input reads.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/vtl/parser.h"
#include "gateway/vtl/renderer.h"

using namespace cdnlab::gateway::vtl;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t nul = all.find('\0');
  std::string_view text = all.substr(0, nul);
  std::string_view body = nul == std::string_view::npos ? std::string_view() : all.substr(nul + 1);
  auto t = parseTemplate("fuzz", text);
  if (!t) return 0;
  RenderInput in;
  in.body = body;
  in.params = Value::map();
  Value q = Value::map();
  q.asMap().put("id", Value("7"));
  in.params.asMap().put("path", q);
  in.params.asMap().put("querystring", Value::map());
  in.params.asMap().put("header", Value::map());
  in.context = Value::map();
  in.context.asMap().put("requestId", Value("r"));
  in.stageVariables = Value::map();
  Limits limits;
  limits.maxIterations = 2000;  // keeps each run short; the bounds themselves are what is tested
  limits.maxOutput = 1 << 16;
  (void)render(**t, in, limits);
  return 0;
}
