// The table of compiled-in native functions.
#include "lambda/native/builtins.h"

#include "common/log.h"
#include "lambda/native/builtin/builtin.h"
#include "lambda/native/registry.h"

namespace cdnlab::lambda::native {

namespace {
constexpr BuiltinSpec kBuiltins[] = {
    {"echo", &builtin::echo, "answers with the event it was given"},
};
}  // namespace

std::span<const BuiltinSpec> builtinTable() { return kBuiltins; }

void addBuiltins(Registry& registry) {
  for (const BuiltinSpec& spec : builtinTable()) {
    NativeFunction fn;
    fn.name = spec.name;
    fn.handler = spec.handler;
    fn.source = "builtin";
    auto added = registry.add(std::move(fn));
    if (!added.ok()) LOG_ERROR("native built-in: %s", added.error().message.c_str());
  }
}

}  // namespace cdnlab::lambda::native
