#!/usr/bin/env bash
# Usage: scripts/registry.sh start|stop|status   — three docker-registry (distribution 2.8) instances on 127.0.0.1:
#   anon :5000 (no auth), basic :5001 (htpasswd bulwark/s3cret), token :5002 (bearer, realm http://127.0.0.1:5012/token).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
R="$ROOT/.bulwark-work/registry"
AUTH="$R/auth"
NAMES=(anon basic token)
declare -A PORT=([anon]=5000 [basic]=5001 [token]=5002)
USER_NAME=bulwark
USER_PASS=s3cret
TOKEN_REALM="http://127.0.0.1:5012/token"
TOKEN_SERVICE="bulwark-registry"
TOKEN_ISSUER="bulwark-test"

usage() { echo "usage: scripts/registry.sh start|stop|status" >&2; exit 2; }
die() { echo "registry.sh: $*" >&2; exit 1; }

BIN="$(command -v docker-registry || true)"

pid_of() {
  local n="$1" pid
  [ -f "$R/$n/registry.pid" ] || return 1
  pid="$(cat "$R/$n/registry.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$R/$n/config.yml" "/proc/$pid/cmdline" 2>/dev/null \
    && { echo "$pid"; return 0; }
  return 1
}

http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null || true; }

up() {
  local n="$1" code
  code="$(http_code "${PORT[$n]}")"
  case "$n" in
    anon) [ "$code" = 200 ] ;;
    *) [ "$code" = 401 ] ;;
  esac
}

# Test credentials and keys, made once: a bcrypt htpasswd, and an EC P-256 CA plus a leaf signed by it.
# The Java TokenServer signs its JWTs with token.key and sends token.crt + ca.crt as x5c; the registry trusts ca.crt.
make_auth() {
  mkdir -p "$AUTH"
  if [ ! -s "$AUTH/htpasswd" ]; then
    command -v htpasswd >/dev/null || die "htpasswd (apache2-utils) missing; run scripts/install.sh"
    htpasswd -Bbc "$AUTH/htpasswd.tmp" "$USER_NAME" "$USER_PASS" 2>/dev/null
    mv "$AUTH/htpasswd.tmp" "$AUTH/htpasswd"
  fi
  if [ ! -s "$AUTH/ca.crt" ] || [ ! -s "$AUTH/token.crt" ] || [ ! -s "$AUTH/token.key" ]; then
    local t; t="$(mktemp -d "$AUTH/tmp.XXXXXX")"
    {
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$t/ca.key"
      openssl req -x509 -new -key "$t/ca.key" -sha256 -days 3650 -subj "/CN=Bulwark test token CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$t/ca.crt"
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$t/token.key"
      openssl req -new -key "$t/token.key" -subj "/CN=bulwark-test token signer" -out "$t/token.csr"
      printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' >"$t/leaf.ext"
      openssl x509 -req -in "$t/token.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -sha256 -days 3650 \
        -extfile "$t/leaf.ext" -out "$t/token.crt"
    } >"$t/openssl.log" 2>&1 || { cat "$t/openssl.log" >&2; die "openssl failed"; }
    chmod 600 "$t/ca.key" "$t/token.key"
    mv "$t/ca.key" "$t/ca.crt" "$t/token.key" "$t/token.crt" "$AUTH/"
    rm -rf "$t"
  fi
}

write_config() {
  local n="$1" d="$R/$1" secret
  mkdir -p "$d/data"
  [ -s "$d/http.secret" ] || { openssl rand -hex 16 >"$d/http.secret"; }
  secret="$(cat "$d/http.secret")"
  {
    cat <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
  fields:
    service: registry-$n
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${PORT[$n]}
  secret: $secret
  headers:
    X-Content-Type-Options: [nosniff]
YML
    case "$n" in
      basic) cat <<YML
auth:
  htpasswd:
    realm: bulwark-registry
    path: $AUTH/htpasswd
YML
      ;;
      token) cat <<YML
auth:
  token:
    realm: $TOKEN_REALM
    service: $TOKEN_SERVICE
    issuer: $TOKEN_ISSUER
    rootcertbundle: $AUTH/ca.crt
YML
      ;;
    esac
  } >"$d/config.yml.tmp"
  mv "$d/config.yml.tmp" "$d/config.yml"
}

start_one() {
  local n="$1" d="$R/$1" _ pid
  if pid_of "$n" >/dev/null && up "$n"; then return 0; fi
  stop_one "$n"
  write_config "$n"
  if [ "$(http_code "${PORT[$n]}")" != 000 ]; then
    stop_stale "$n"
  fi
  setsid "$BIN" serve "$d/config.yml" </dev/null >"$d/registry.log" 2>&1 &
  pid=$!
  echo "$pid" >"$d/registry.pid"
  for _ in $(seq 1 120); do
    if up "$n"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  tail -20 "$d/registry.log" >&2 || true
  die "registry $n did not answer on 127.0.0.1:${PORT[$n]}/v2/ within 30 s"
}

# The port is taken. A Bulwark test registry of another checkout (same script, other .bulwark-work) is stopped;
# anything else is an error.
stop_stale() {
  local n="$1" port="${PORT[$1]}" pids pid cmd
  pids="$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true)"
  [ -n "$pids" ] || die "port 127.0.0.1:$port is already taken by another process"
  for pid in $pids; do
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    case "$cmd" in
      *docker-registry\ serve\ */.bulwark-work/registry/"$n"/config.yml*)
        echo "registry.sh: stopping a stale Bulwark test registry on :$port (pid $pid: $cmd)" >&2
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        ;;
      *) die "port 127.0.0.1:$port is already taken by another process (pid $pid: $cmd)" ;;
    esac
  done
  [ "$(http_code "$port")" = 000 ] || die "port 127.0.0.1:$port is still taken"
}

stop_one() {
  local n="$1" pid
  if pid="$(pid_of "$n")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$R/$n/registry.pid"
}

case "${1:-}" in
  start)
    [ -n "$BIN" ] || die "docker-registry missing; run scripts/install.sh"
    command -v curl >/dev/null || die "curl missing; run scripts/install.sh"
    make_auth
    for n in "${NAMES[@]}"; do start_one "$n"; done
    ;;
  stop)
    for n in "${NAMES[@]}"; do stop_one "$n"; done
    ;;
  status)
    rc=0
    for n in "${NAMES[@]}"; do
      if pid_of "$n" >/dev/null && up "$n"; then echo "$n 127.0.0.1:${PORT[$n]} up"
      else echo "$n 127.0.0.1:${PORT[$n]} down"; rc=1; fi
    done
    exit "$rc"
    ;;
  *) usage ;;
esac
