// `cdnlab origin`: serves the synthetic object catalog (origin/catalog) over HTTP until
// SIGTERM/SIGINT. Exit codes: 0 after a graceful stop, 2 for a bad config or flag, 1 when the
// listener cannot start.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/signals.h"
#include "origin/catalog/catalog_config.h"
#include "origin/catalog/origin_server.h"

namespace cdnlab::cli {
namespace {

struct OriginFlags {
  std::string catalog;  // empty: the built-in defaults (CatalogConfig{})
  std::string listen = "127.0.0.1:9000";
  int workers = 0;
  std::uint64_t graceMs = 5000;
};

int runOrigin(const OriginFlags& f) {
  blockStopSignals();  // before any thread starts, so only the waiter sees SIGTERM/SIGINT
  origin::catalog::CatalogConfig cfg;
  if (!f.catalog.empty()) {
    auto loaded = origin::catalog::loadCatalogConfigFile(f.catalog);
    if (!loaded) {
      std::fputs(config::formatErrors(loaded.errors()).c_str(), stderr);
      return 2;
    }
    cfg = std::move(*loaded);
  }
  http::ServerOptions options;
  if (auto ok = options.setListen(f.listen); !ok) {
    std::fprintf(stderr, "--listen: %s\n", ok.error().message.c_str());
    return 2;
  }
  options.workers = f.workers;
  auto catalog = std::make_shared<const origin::catalog::Catalog>(std::move(cfg));
  origin::catalog::CatalogOrigin server(catalog, options);
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "cannot listen on %s: %s\n", f.listen.c_str(), port.error().message.c_str());
    return 1;
  }
  announceListening("http", options.host, *port);
  return runUntilStopSignal([&] { server.stop(f.graceMs); });
}

}  // namespace

CDNLAB_COMMAND("origin", "Serve the synthetic object catalog (GET|HEAD /obj/<id>, GET /metrics)", [](CLI::App& sub) {
  auto f = std::make_shared<OriginFlags>();
  sub.add_option("--catalog", f->catalog,
                 "YAML file with a `catalog:` section (e.g. configs/catalog.yaml); default: built-in catalog");
  sub.add_option("--listen", f->listen, "host:port to listen on (port 0: ephemeral)")->capture_default_str();
  sub.add_option("--workers", f->workers, "worker threads, each with its own loop (0: one per core)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  sub.add_option("--grace-ms", f->graceMs, "on SIGTERM/SIGINT, how long in-flight requests may finish")
      ->capture_default_str();
  return std::function<int()>([f] { return runOrigin(*f); });
});

}  // namespace cdnlab::cli
