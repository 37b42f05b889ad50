#!/bin/sh
# Installs what the test suite needs on a Debian 12 machine: the real tools the tests drive
# (an OCI registry, image tools, the reference implementations of version orderings) and the
# project's npm dependencies. Safe to re-run; apt is skipped when everything is present.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="docker-registry skopeo umoci podman uidmap apache2-utils openssl zstd tar gzip
  python3 python3-rpm python3-packaging ruby default-jdk-headless maven rpm"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing apt packages:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The registry package starts a system service we do not use: tests run their own instances.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
fi

npm ci --no-audit --no-fund
