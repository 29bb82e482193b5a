#!/usr/bin/env bash
# Usage: scripts/registry-notify.sh start ENDPOINT_URL TOKEN_FILE | stop | status
# A docker-registry (distribution 2.8) on 127.0.0.1:5003, no auth, whose push notifications go to ENDPOINT_URL
# (a loopback `bulwark serve`, e.g. http://127.0.0.1:PORT/api/v1/registry/events) with "Authorization: Bearer" and
# the token in TOKEN_FILE. The endpoint is part of the registry's config, so start rewrites the config and restarts
# the registry when the endpoint or token changed; it is idempotent otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
D="$ROOT/.bulwark-work/registry/notify"
PORT=5003

usage() { echo "usage: scripts/registry-notify.sh start ENDPOINT_URL TOKEN_FILE | stop | status" >&2; exit 2; }
die() { echo "registry-notify.sh: $*" >&2; exit 1; }

BIN="$(command -v docker-registry || true)"

pid_of() {
  local pid
  [ -f "$D/registry.pid" ] || return 1
  pid="$(cat "$D/registry.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$D/config.yml" "/proc/$pid/cmdline" 2>/dev/null \
    && { echo "$pid"; return 0; }
  return 1
}

up() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" 2>/dev/null || true)" = 200 ]; }

stop() {
  local pid
  if pid="$(pid_of)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$D/registry.pid"
}

write_config() {
  local endpoint="$1" token="$2" secret
  mkdir -p "$D/data"
  [ -s "$D/http.secret" ] || openssl rand -hex 16 >"$D/http.secret"
  secret="$(cat "$D/http.secret")"
  cat >"$D/config.yml.tmp" <<YML
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
  fields:
    service: registry-notify
storage:
  filesystem:
    rootdirectory: $D/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$PORT
  secret: $secret
  headers:
    X-Content-Type-Options: [nosniff]
notifications:
  events:
    includereferences: true
  endpoints:
    - name: bulwark
      url: $endpoint
      headers:
        Authorization: [Bearer $token]
      timeout: 5s
      threshold: 5
      backoff: 1s
      ignoredmediatypes:
        - application/octet-stream
YML
  chmod 600 "$D/config.yml.tmp"
  mv "$D/config.yml.tmp" "$D/config.yml"
}

case "${1:-}" in
  start)
    [ $# -eq 3 ] || usage
    endpoint="$2"; token_file="$3"
    case "$endpoint" in
      http://127.0.0.1:*|https://127.0.0.1:*|http://localhost:*|https://localhost:*) ;;
      *) die "the endpoint must be a loopback URL, not $endpoint" ;;
    esac
    [ -s "$token_file" ] || die "no token in $token_file"
    [ -n "$BIN" ] || die "docker-registry missing; run scripts/install.sh"
    command -v curl >/dev/null || die "curl missing; run scripts/install.sh"
    token="$(tr -d '[:space:]' <"$token_file")"
    want="$(printf '%s\n%s\n' "$endpoint" "$token" | sha256sum | cut -d' ' -f1)"
    if pid_of >/dev/null && up && [ "$(cat "$D/endpoint.sum" 2>/dev/null || true)" = "$want" ]; then exit 0; fi
    stop
    mkdir -p "$D"
    write_config "$endpoint" "$token"
    echo "$want" >"$D/endpoint.sum"
    if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" 2>/dev/null || true)" != 000 ]; then
      die "port 127.0.0.1:$PORT is already taken by another process"
    fi
    setsid "$BIN" serve "$D/config.yml" </dev/null >"$D/registry.log" 2>&1 &
    echo "$!" >"$D/registry.pid"
    for _ in $(seq 1 120); do
      if up; then exit 0; fi
      kill -0 "$(cat "$D/registry.pid")" 2>/dev/null || break
      sleep 0.25
    done
    tail -20 "$D/registry.log" >&2 || true
    die "registry did not answer on 127.0.0.1:$PORT/v2/ within 30 s"
    ;;
  stop) stop ;;
  status)
    if pid_of >/dev/null && up; then echo "notify 127.0.0.1:$PORT up"; else echo "notify 127.0.0.1:$PORT down"; exit 1; fi
    ;;
  *) usage ;;
esac
