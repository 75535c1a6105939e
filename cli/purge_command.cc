// `cdnlab purge [topo.yaml] URL | --prefix P | --tag T | --all`: purge the whole running
// topology (shield tier first, then the edges) through each PoP's admin listener, and print
// what each removed. Logic: bench/run/purge.h.
#include <cstdlib>
#include <memory>
#include <string>

#include "bench/run/purge.h"
#include "cli/command.h"

namespace cdnlab::cli {

CDNLAB_COMMAND("purge", "Purge a URL, a prefix, a surrogate-key tag or everything from every PoP of a running topology",
               [](CLI::App& sub) {
  auto o = std::make_shared<bench::run::PurgeOptions>();
  sub.add_option("url", o->request.url, "The URL (or path) to purge, e.g. /obj/1");
  sub.add_option("--topology", o->topologyFile, "Topology YAML given to `up` (default: the embedded default)");
  sub.add_option("--prefix", o->request.prefix, "Purge every URL under this path prefix");
  sub.add_option("--tag", o->request.tag, "Purge every object tagged with this surrogate key (Surrogate-Key / Cache-Tag)");
  sub.add_flag("--all", o->request.all, "Purge everything");
  sub.add_option("--token", o->request.token, "Bearer token of the admin listeners (default: $CDNLAB_ADMIN_TOKEN)");
  return std::function<int()>([o] {
    if (o->request.token.empty())
      if (const char* env = std::getenv("CDNLAB_ADMIN_TOKEN")) o->request.token = env;
    return bench::run::runPurge(*o);
  });
});

}  // namespace cdnlab::cli
