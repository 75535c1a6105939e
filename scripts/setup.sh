#!/usr/bin/env bash
# Installs every Debian package cdnlab needs to build, test and benchmark.
# Idempotent: packages already present are skipped, so a second run is quick.
# Extra package names given as arguments are installed too (bench scripts pass varnish, nginx, wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PKGS=(
  build-essential cmake pkg-config ninja-build
  libuv1-dev libssl-dev libxxhash-dev libmaxminddb-dev mmdb-bin libzstd-dev zstd
  libgtest-dev libgmock-dev libbenchmark-dev
  rapidjson-dev libyaml-cpp-dev libcli11-dev librocksdb-dev libzip-dev libwslay-dev libdeflate-dev
)
TEST_PKGS=(curl python3 python3-boto3 awscli chromium python3-websockets nginx-light openssl)

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
updated=""
# Another apt run (an unattended upgrade, a parallel setup) may hold the lock: wait for it.
APT_OPTS=(-o DPkg::Lock::Timeout=300)
retry() { for i in 1 2 3 4 5; do "$@" && return 0; echo "setup: retrying: $*" >&2; sleep $((i * 5)); done; "$@"; }
apt_update() { [ -n "$updated" ] || { retry $SUDO apt-get "${APT_OPTS[@]}" update -qq; updated=1; }; }

want=()
for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}" "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || want+=("$p")
done
if ((${#want[@]})); then
  echo "setup: installing ${want[*]}"
  apt_update
  retry $SUDO apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi

# llhttp: Debian ships its C sources in node-llhttp. Installing that package drags in Debian's
# nodejs, which conflicts with a Node.js from elsewhere, so when it is not installed we unpack the
# same .deb into .deps/ (still Debian's package, nothing else downloaded).
if [ ! -f /usr/share/llhttp/llhttp.c ] && [ ! -f .deps/llhttp/usr/share/llhttp/llhttp.c ]; then
  echo "setup: unpacking node-llhttp into .deps/llhttp"
  apt_update
  tmp=$(mktemp -d); chmod 755 "$tmp"
  (cd "$tmp" && retry apt-get "${APT_OPTS[@]}" download -qq node-llhttp 2>/dev/null)
  mkdir -p .deps/llhttp
  dpkg-deb -x "$tmp"/node-llhttp_*.deb .deps/llhttp
  rm -rf "$tmp"
fi

# The AWS SDK for JavaScript v3 that `cdnlab lambda`'s Node.js runtimes provide to functions, as
# AWS's nodejs18.x+ runtimes do (pinned by its lock file; `npm ci` only when it changed).
sdk=lambda/runtimes/node/sdk
if command -v npm >/dev/null && [ ! "$sdk/node_modules/.package-lock.json" -nt "$sdk/package-lock.json" ]; then
  echo "setup: npm ci in $sdk"
  (cd "$sdk" && retry npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
