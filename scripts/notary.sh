#!/usr/bin/env bash
# Usage: scripts/notary.sh start|stop|status   — a notary-server (Docker Content Trust, TUF) on https://127.0.0.1:4443 only,
#   in-memory storage, local signing of timestamp/snapshot keys, TLS from a test CA in .bulwark-work/notary/tls/.
#   `status` prints the server URL; tests read .bulwark-work/notary/env (NOTARY_URL, NOTARY_CA).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="$ROOT/.bulwark-work/notary"
TLS="$N/tls"
ADDR=127.0.0.1:4443
URL="https://$ADDR"

usage() { echo "usage: scripts/notary.sh start|stop|status" >&2; exit 2; }
die() { echo "notary.sh: $*" >&2; exit 1; }

pid_of() {
  local pid
  [ -f "$N/server.pid" ] || return 1
  pid="$(cat "$N/server.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa -- "$N/server.json" "/proc/$pid/cmdline" 2>/dev/null \
    && { echo "$pid"; return 0; }
  return 1
}

up() { curl -s -o /dev/null -m 2 --cacert "$TLS/ca.crt" -w '%{http_code}' "$URL/_notary_server/health" 2>/dev/null | grep -q 200; }

install() {
  command -v notary-server >/dev/null && command -v notary >/dev/null && return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q notary >"$N/apt.log" 2>&1 || die "apt-get install notary failed (see $N/apt.log)"
}

# A test CA (EC P-256) and a server certificate for 127.0.0.1 / localhost signed by it; made once.
make_tls() {
  [ -s "$TLS/ca.crt" ] && [ -s "$TLS/server.crt" ] && [ -s "$TLS/server.key" ] && return 0
  mkdir -p "$TLS"; chmod 700 "$TLS"
  local t; t="$(mktemp -d "$TLS/tmp.XXXXXX")"
  {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$t/ca.key"
    openssl req -x509 -new -key "$t/ca.key" -sha256 -days 3650 -subj "/CN=Bulwark test Notary CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$t/ca.crt"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$t/server.key"
    openssl req -new -key "$t/server.key" -subj "/CN=127.0.0.1" -out "$t/server.csr"
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$t/leaf.ext"
    openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -sha256 -days 3650 \
      -extfile "$t/leaf.ext" -out "$t/server.crt"
  } >"$t/openssl.log" 2>&1 || die "openssl failed: $(cat "$t/openssl.log")"
  mv "$t/ca.crt" "$t/ca.key" "$t/server.crt" "$t/server.key" "$TLS/"
  rm -rf "$t"
}

write_config() {
  cat >"$N/server.json" <<JSON
{
  "server": {"http_addr": "$ADDR", "tls_cert_file": "$TLS/server.crt", "tls_key_file": "$TLS/server.key"},
  "trust_service": {"type": "local", "hostname": "", "port": "", "key_algorithm": "ecdsa"},
  "logging": {"level": "info"},
  "storage": {"backend": "memory"}
}
JSON
  printf 'NOTARY_URL=%s\nNOTARY_CA=%s\n' "$URL" "$TLS/ca.crt" >"$N/env"
}

start() {
  mkdir -p "$N"
  install
  make_tls
  write_config
  if pid_of >/dev/null; then up && return 0; fi
  # Another checkout's notary-server on our port: stop it (only a notary-server, never anything else).
  local other; other="$(ss -Htlnp "sport = :${ADDR##*:}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)"
  if [ -n "$other" ] && grep -qa notary-server "/proc/$other/cmdline" 2>/dev/null; then kill "$other" 2>/dev/null || true; sleep 1; fi
  setsid notary-server -config "$N/server.json" >"$N/server.log" 2>&1 </dev/null &
  echo $! >"$N/server.pid"
  for _ in $(seq 1 100); do up && return 0; sleep 0.1; done
  die "notary-server did not come up on $URL (see $N/server.log)"
}

stop() {
  local pid
  if pid="$(pid_of)"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$N/server.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid_of >/dev/null && up; then echo "$URL"; else echo "notary-server not running" >&2; exit 1; fi ;;
  *) usage ;;
esac
