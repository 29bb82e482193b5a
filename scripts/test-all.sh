#!/usr/bin/env bash
# Usage: scripts/test-all.sh [MAVEN_ARGS...]   — the one command that runs every test: installs and starts the real
# components, builds the test images, runs ./mvnw -B verify, stops the components and exits with Maven's status.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

JDK="$(find_jdk)"

cleanup() {
  "$ROOT/scripts/registry.sh" stop || true
  "$ROOT/scripts/notary.sh" stop || true
  "$ROOT/scripts/postgres.sh" stop || true
  "$ROOT/scripts/dockerd.sh" stop || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start=$(date +%s)
"$ROOT/scripts/install.sh"
"$ROOT/scripts/browser.sh" install
"$ROOT/scripts/dockerd.sh" start
"$ROOT/scripts/registry.sh" start
"$ROOT/scripts/notary.sh" start
"$ROOT/scripts/postgres.sh" start
"$ROOT/scripts/testimages.sh"
"$ROOT/scripts/testimages-imagetest.sh"
"$ROOT/scripts/testimages-secrets.sh"
echo "test-all: components ready in $(( $(date +%s) - start )) s (dockerd, registries :5000-5002, notary-server :4443, test images)"

rc=0
JAVA_HOME="$JDK" "$ROOT/mvnw" -B verify "$@" </dev/null || rc=$?
exit "$rc"
