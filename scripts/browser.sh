#!/usr/bin/env bash
# Usage: scripts/browser.sh [install|env]   — the browser of the dashboard tests: Debian's chromium (installed when
# missing) and playwright-core from npm in .bulwark-work/browser (installed once, pinned), checked to render a page
# headless. Both write the environment a test needs (BULWARK_CHROMIUM, BULWARK_NODE, BULWARK_PLAYWRIGHT_DIR) to
# .bulwark-work/browser/env; `install` is silent unless something fails, `env` (the default) also prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.bulwark-work"
DIR="$WORK/browser"
LOG="$WORK/logs"
PLAYWRIGHT_VERSION="1.65.1"
CHROMIUM=/usr/bin/chromium
# playwright-core must never download a browser of its own: the tests use Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

usage() { echo "usage: scripts/browser.sh [install|env]" >&2; exit 2; }
die() { echo "browser.sh: $*" >&2; exit 1; }

installed() { [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]; }

install_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  mkdir -p "$LOG"
  export DEBIAN_FRONTEND=noninteractive
  local pkgs=(chromium)
  installed fonts-liberation || pkgs+=(fonts-liberation)
  if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >"$LOG/apt-chromium.log" 2>&1; then
    apt-get update -q >>"$LOG/apt-chromium.log" 2>&1 || true
    apt-get install -y -q --no-install-recommends "${pkgs[@]}" >>"$LOG/apt-chromium.log" 2>&1 \
      || { tail -20 "$LOG/apt-chromium.log" >&2; die "apt-get install chromium failed; see $LOG/apt-chromium.log"; }
  fi
  [ -x "$CHROMIUM" ] || die "chromium installed but $CHROMIUM is missing"
}

playwright_version() {
  local pj="$DIR/node_modules/playwright-core/package.json"
  [ -f "$pj" ] || return 0
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$pj" 2>/dev/null || true
}

install_playwright() {
  command -v node >/dev/null || die "node missing; run scripts/install.sh (npm brings nodejs)"
  command -v npm >/dev/null || die "npm missing; run scripts/install.sh"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  # playwright-core 1.65 declares engines.node >= 20 (Debian bookworm's own nodejs is 18).
  [ "$major" -ge 20 ] || die "node $(node --version 2>/dev/null) is too old for playwright-core $PLAYWRIGHT_VERSION (needs >= 20)"
  [ "$(playwright_version)" = "$PLAYWRIGHT_VERSION" ] && return 0
  mkdir -p "$DIR" "$LOG"
  if ! npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" \
       >"$LOG/npm-browser.log" 2>&1; then
    tail -20 "$LOG/npm-browser.log" >&2
    die "npm install playwright-core@$PLAYWRIGHT_VERSION failed; see $LOG/npm-browser.log"
  fi
  [ "$(playwright_version)" = "$PLAYWRIGHT_VERSION" ] || die "playwright-core $PLAYWRIGHT_VERSION not found in $DIR after npm install"
}

# The browser must start headless here (no display, running as root: --no-sandbox), not only exist.
check_chromium() {
  local out
  out="$(timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
          --no-first-run --dump-dom 'data:text/html,<p>bulwark-ok</p>' 2>/dev/null || true)"
  case "$out" in
    *bulwark-ok*) ;;
    *) die "$CHROMIUM does not render a page headless (try: $CHROMIUM --headless --no-sandbox --dump-dom about:blank)" ;;
  esac
}

write_env() {
  mkdir -p "$DIR"
  {
    echo "BULWARK_CHROMIUM=$CHROMIUM"
    echo "BULWARK_NODE=$(command -v node)"
    echo "BULWARK_PLAYWRIGHT_DIR=$DIR/node_modules"
  } >"$DIR/env.tmp"
  mv "$DIR/env.tmp" "$DIR/env"
}

setup() {
  install_chromium
  install_playwright
  # Checked once per installed version: a headless start takes a few seconds.
  local stamp="$DIR/.checked-$PLAYWRIGHT_VERSION-$("$CHROMIUM" --version 2>/dev/null | tr -cd '0-9.')"
  if [ ! -f "$stamp" ]; then
    check_chromium
    rm -f "$DIR"/.checked-*
    touch "$stamp"
  fi
  write_env
}

case "${1:-env}" in
  install) setup ;;
  env) setup; cat "$DIR/env" ;;
  *) usage ;;
esac
