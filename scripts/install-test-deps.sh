#!/bin/sh
# Installs what the test suite needs on a Debian 12 machine: the real tools the tests drive
# (an OCI registry, image tools, the reference implementations of version orderings) and the
# project's npm dependencies. Safe to re-run; apt is skipped when everything is present.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="docker-registry skopeo umoci podman uidmap apache2-utils openssl zstd tar gzip
  python3 python3-rpm python3-packaging ruby default-jdk-headless maven rpm postgresql chromium clamav-daemon yara"

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

# The manager's tests run against a real PostgreSQL (and PGlite): start Debian's cluster and give the
# tests a role that may create one throw-away database per test file (ASSAY_TEST_PG_URL).
start_postgres() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  ROOT="" AS_PG="runuser -u postgres --"
  [ "$(id -u)" -eq 0 ] || { ROOT="sudo"; AS_PG="sudo -u postgres"; }
  pg_lsclusters -h | while read -r ver name _port status _rest; do
    [ "$status" = online ] || $ROOT pg_ctlcluster "$ver" "$name" start
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do $AS_PG pg_isready -q -h 127.0.0.1 && break; sleep 1; done
  $AS_PG psql -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'assay') THEN
    CREATE ROLE assay LOGIN PASSWORD 'assay' CREATEDB;
  END IF;
END $$;
SQL
  $AS_PG psql -tAq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'assay_test'" | grep -q 1 ||
    $AS_PG createdb -O assay assay_test
}
start_postgres

npm ci --no-audit --no-fund
