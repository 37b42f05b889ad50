#!/bin/sh
# Rebuilds rpmdb.sqlite.gz: a real rpmdb written by rpm itself (Debian's `rpm` 4.18, sqlite
# backend) from the tiny packages in specs/. Needs `apt-get install rpm`. Output differs from the
# committed file only in install times and SQLite page contents, not in what the tests read.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in "$here"/specs/*.spec; do
  rpmbuild --quiet --define "_topdir $work/build" --target x86_64 -bb "$spec"
done
rpm --dbpath "$work/db" --define '_db_backend sqlite' --initdb
# --justdb: record the packages without touching the file system; order gives hnum 1, 2, 3.
rpm --dbpath "$work/db" --define '_db_backend sqlite' -i --nodeps --justdb --ignorearch --ignoreos \
  "$work"/build/RPMS/*/*.rpm 2>/dev/null
gzip -9 -n -c "$work/db/rpmdb.sqlite" >"$here/rpmdb.sqlite.gz"
rpm --dbpath "$work/db" -qa --qf '%{NAME} %{EPOCH} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM} %{MODULARITYLABEL}\n'
