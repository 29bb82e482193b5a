#!/usr/bin/env bash
# Usage: scripts/testimages-imagetest.sh   — builds the image-test fixture once (stamped; a second run only checks) with
# the private dockerd, on top of bulwark-test/bookworm:12 (scripts/testimages.sh builds that), and writes
# .bulwark-work/images/imagetest/manifest.env (read by the `bulwark test` tests).
#
# The image keeps a known set of promises (non-root numeric USER, HEALTHCHECK, labels, EXPOSE, VOLUME, an entrypoint
# that echoes its arguments and standard input, a licence file, a symlink, no setuid or setgid file anywhere) so that
# a spec can check each of them pass and, changed by one value, fail.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.bulwark-work"
OUT="$WORK/images/imagetest"
B="$OUT/build"
LOG="$OUT/logs"
SOCK="$WORK/dockerd/docker.sock"
DOCKER_BIN="$(command -v /usr/bin/docker || command -v docker || true)"
BASE_IMAGE="bulwark-test/bookworm:12"
IMAGE="bulwark-test/imagetest:1"
# Bump when the recipe below changes: the stamp then no longer matches and the image is rebuilt.
RECIPE=1

die() { echo "testimages-imagetest.sh: $*" >&2; exit 1; }
run() {
  local name="$1"; shift
  if ! "$@" >"$LOG/$name.log" 2>&1; then
    echo "testimages-imagetest.sh: step '$name' failed: $*" >&2
    tail -30 "$LOG/$name.log" >&2
    exit 1
  fi
}
dk() { "$DOCKER_BIN" -H "unix://$SOCK" "$@"; }

for t in skopeo sha256sum; do command -v "$t" >/dev/null || die "$t is missing: run scripts/install.sh"; done
[ -n "$DOCKER_BIN" ] || die "docker client is missing: run scripts/install.sh"
mkdir -p "$OUT" "$LOG"

"$ROOT/scripts/dockerd.sh" start
if ! dk image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  [ -s "$WORK/images/bookworm.tar" ] || die "$BASE_IMAGE is not built: run scripts/testimages.sh first"
  run load-base dk load -i "$WORK/images/bookworm.tar"
fi
BASE_ID="$(dk image inspect -f '{{.Id}}' "$BASE_IMAGE")"
STAMP="$RECIPE $BASE_ID"
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$STAMP" ] && [ -s "$OUT/imagetest.tar" ] && [ -f "$OUT/oci/index.json" ] \
  && [ -s "$OUT/manifest.env" ]; then
  dk image inspect "$IMAGE" >/dev/null 2>&1 || run load dk load -i "$OUT/imagetest.tar"
  exit 0
fi
rm -f "$OUT/.stamp" "$OUT/manifest.env"

rm -rf "$B"; mkdir -p "$B/ctx/app/releases/1"
C="$B/ctx"
# The entrypoint: says hello to its arguments, copies standard input through, knows --health and --fail N.
cat >"$C/app/hello.sh" <<'SH'
#!/bin/sh
case "$1" in
  --health) echo ok; exit 0 ;;
  --fail) echo "failing with $2" >&2; exit "$2" ;;
  --stdin) cat; exit 0 ;;
  --env) echo "APP_MODE=$APP_MODE GREETING=${GREETING:-}"; exit 0 ;;
  --pwd) pwd; exit 0 ;;
  --id) id -u; id -g; exit 0 ;;
  --sleep) sleep "$2"; exit 0 ;;
esac
echo "hello, ${1:-nobody}"
SH
printf '[server]\nport = 8080\nmode = production\n' >"$C/app/config.ini"
printf 'MIT License\n\nCopyright (c) 2026 Bulwark test fixture\n' >"$C/app/LICENSE"
printf 'release 1\n' >"$C/app/releases/1/VERSION"
cat >"$C/Dockerfile" <<'DOCKERFILE'
FROM bulwark-test/bookworm:12
LABEL org.opencontainers.image.title="bulwark-test imagetest" org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="bulwark-test/bookworm:12"
ENV APP_MODE=production
COPY app/ /srv/app/
RUN groupadd -g 10001 app && useradd -u 10001 -g 10001 -M -d /srv/app -s /usr/sbin/nologin app \
 && chmod 0755 /srv/app/hello.sh && chmod 0640 /srv/app/config.ini && chown -R 10001:10001 /srv/app \
 && ln -s /srv/app/releases/1 /srv/app/current && mkdir -p /srv/app/data && chown 10001:10001 /srv/app/data \
 && find / -xdev -type f -perm /6000 -exec chmod ug-s {} + \
 && rm -f /etc/motd
WORKDIR /srv/app
USER 10001:10001
EXPOSE 8080/tcp 9090/udp
VOLUME /srv/app/data
HEALTHCHECK --interval=30s CMD ["/srv/app/hello.sh", "--health"]
ENTRYPOINT ["/srv/app/hello.sh"]
CMD ["world"]
DOCKERFILE

dk image rm -f "$IMAGE" >/dev/null 2>&1 || true
# The legacy builder needs no network: COPY is done by the daemon, RUN steps run with --network=none.
run build env DOCKER_BUILDKIT=0 "$DOCKER_BIN" -H "unix://$SOCK" build -q --network=none --rm --force-rm -t "$IMAGE" "$C"
rm -f "$OUT/imagetest.tar.tmp"
run save dk save -o "$OUT/imagetest.tar.tmp" "$IMAGE"
mv "$OUT/imagetest.tar.tmp" "$OUT/imagetest.tar"
rm -rf "$OUT/oci"
run oci skopeo copy -q "docker-archive:$OUT/imagetest.tar:$IMAGE" "oci:$OUT/oci:1"
ID="$(dk image inspect -f '{{.Id}}' "$IMAGE")"
cat >"$OUT/manifest.env" <<ENV
# Written by scripts/testimages-imagetest.sh. Paths are absolute.
IMAGETEST_IMAGE=$IMAGE
IMAGETEST_IMAGE_ID=$ID
IMAGETEST_BASE_IMAGE=$BASE_IMAGE
IMAGETEST_BASE_IMAGE_ID=$BASE_ID
IMAGETEST_DOCKER_ARCHIVE=$OUT/imagetest.tar
IMAGETEST_OCI_DIR=$OUT/oci
IMAGETEST_OCI_REF=1
ENV
rm -rf "$B"
printf '%s' "$STAMP" >"$OUT/.stamp"
