#!/usr/bin/env bash
# Usage: bench/build-image.sh   — builds the benchmark image once (stamped; a second run only checks) and prints
# where it is. Everything goes under .bulwark-work/bench/ (gitignored); nothing here is ever committed.
#
# The image is a real 3-layer OCI layout (gzip layers, umoci's default), tag "bench":
#   layer 1  mmdebstrap --variant=minbase bookworm                       (Debian base, real dpkg database)
#   layer 2  the same plus --include=$FULL_PKGS (JDK, Python, GCC, Perl, Git...): umoci's diff of the two root
#            filesystems, so it carries the new files, the changed dpkg status and whiteouts for deleted files
#   layer 3  an application layer: real jars (newest version of each artifact in ~/.m2/repository, kept in the
#            Maven layout under /root/.m2/repository) and a node_modules tree made by `npm install` in /opt/app,
#            plus a Dockerfile-style clean-up (man pages, logs deleted: whiteouts)
# Tags "base" (layer 1) and "full" (layers 1-2) are kept too. The unpacked final root filesystem (for Trivy's
# `rootfs` mode) is .bulwark-work/bench/rootfs. Sizes go to .bulwark-work/bench/image.env.
#
# Needs: mmdebstrap, umoci, jq, npm, tar, gzip (scripts/install.sh installs them). Root (umoci/mmdebstrap as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W="$ROOT/.bulwark-work/bench"
ST="$W/.stamps"
LOG="$W/logs"
OCI="$W/oci"
BUNDLE="$W/bundle"
ROOTFS="$W/rootfs"
APP="$W/app"
mkdir -p "$W" "$ST" "$LOG"

SUITE=bookworm
FULL_PKGS="default-jdk-headless,python3,python3-pip,gcc,g++,make,perl,git"
# npm packages of the application layer (exact versions: the tree is the same on every build).
NPM_DEPS='{"express":"4.21.2","lodash":"4.17.21","axios":"1.7.9","react":"18.3.1","react-dom":"18.3.1","typescript":"5.7.3","moment":"2.30.1","@babel/core":"7.26.0","eslint":"8.57.1","webpack":"5.97.1"}'

die() { echo "build-image.sh: $*" >&2; exit 1; }
run() { # quietly; on failure show the log's tail
  local name="$1"; shift
  if ! "$@" >"$LOG/$name.log" 2>&1; then
    echo "build-image.sh: step '$name' failed: $*" >&2
    tail -30 "$LOG/$name.log" >&2
    exit 1
  fi
}
stamp_is() { [ -f "$ST/$1" ] && [ "$(cat "$ST/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" >"$ST/$1"; }
file_key() { stat -c '%s-%Y' "$1"; }
say() { echo "build-image.sh: $*" >&2; }

for t in mmdebstrap umoci jq npm tar gzip sha256sum; do
  command -v "$t" >/dev/null || die "$t is missing: run scripts/install.sh"
done
[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap and umoci keep file ownership)"

# ------------------------------------------------------------------ apt sources: this machine's own mirror
# Every bookworm* index apt-get update would fetch here (URI, suite, components), as one-line sources for mmdebstrap.
debian_sources() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Created-By: Packages' 2>/dev/null \
    | awk -v s="$SUITE" '$2 ~ ("^" s "(-updates|-security)?$") {k=$1" "$2; if (!(k in c)) {order[++n]=k; c[k]=$3}
           else if (index(" "c[k]" ", " "$3" ")==0) c[k]=c[k]" "$3}
           END {for (i=1;i<=n;i++) print "deb " order[i] " " c[order[i]]}'
}
mapfile -t SOURCES < <(debian_sources)
[ "${#SOURCES[@]}" -gt 0 ] || die "no $SUITE entries in this machine's apt sources (apt-get indextargets); run apt-get update"

# ------------------------------------------------------------------ 1. root filesystems (mmdebstrap tars)
mkroot() { # name, extra mmdebstrap args...
  local name="$1"; shift
  local out="$W/$name.tar" key
  key="$SUITE|$*"
  if [ -s "$out" ] && stamp_is "$name-tar" "$key"; then return 0; fi
  say "mmdebstrap $name ($*) — a few minutes the first time"
  printf '%s\n' "${SOURCES[@]}" >"$W/$name.sources"
  rm -f "$out" "$out.tmp"
  run "mmdebstrap-$name" mmdebstrap --variant=minbase --format=tar "$@" "$SUITE" "$out.tmp" "${SOURCES[@]}" </dev/null
  mv "$out.tmp" "$out"
  stamp_set "$name-tar" "$key"
}
mkroot base
mkroot full --include="$FULL_PKGS"

# ------------------------------------------------------------------ 2. application files (jars + node_modules)
APP_KEY="v1|$NPM_DEPS"
if [ ! -d "$APP/opt/app/node_modules" ] || ! stamp_is app "$APP_KEY"; then
  say "application layer: jars from ~/.m2/repository, npm install"
  rm -rf "$APP" "$APP.tmp"
  mkdir -p "$APP.tmp/root/.m2/repository" "$APP.tmp/opt/app"
  M2="${HOME}/.m2/repository"
  [ -d "$M2" ] || die "$M2 is missing (build the project once with ./mvnw)"
  # Newest version of each artifact (not the project's own), binary jars only.
  ( cd "$M2"
    find . -name '*.jar' ! -path './dev/bulwark/*' ! -name '*-sources.jar' ! -name '*-javadoc.jar' ! -name '*-tests.jar' \
         -printf '%h\n' | sed 's|/[^/]*$||' | sort -u | while read -r a; do
      v="$(for d in "$a"/*/; do if ls "$d"*.jar >/dev/null 2>&1; then basename "$d"; fi; done | sort -V | tail -n1)"
      [ -n "$v" ] || continue
      for j in "$a/$v/"*.jar; do
        case "$j" in *-sources.jar|*-javadoc.jar|*-tests.jar) ;; *) echo "$j" ;; esac
      done
    done ) >"$W/app-jars.txt"
  ( cd "$M2" && tar -c -T "$W/app-jars.txt" ) | tar -x -C "$APP.tmp/root/.m2/repository"
  jq -n --argjson d "$NPM_DEPS" '{name:"bench-app", version:"1.0.0", private:true, dependencies:$d}' \
    >"$APP.tmp/opt/app/package.json"
  run npm-install npm install --prefix "$APP.tmp/opt/app" --no-audit --no-fund --ignore-scripts --loglevel=error
  mv "$APP.tmp" "$APP"
  stamp_set app "$APP_KEY"
fi

# ------------------------------------------------------------------ 3. OCI layout, one umoci repack per layer
IMG_KEY="$(file_key "$W/base.tar")|$(file_key "$W/full.tar")|$APP_KEY|v2"
if [ ! -f "$OCI/index.json" ] || ! stamp_is oci "$IMG_KEY"; then
  say "umoci: 3 layers (gzip)"
  rm -rf "$OCI" "$BUNDLE" "$ROOTFS"
  run umoci-init umoci init --layout "$OCI"
  run umoci-new umoci new --image "$OCI:bench"
  run umoci-config umoci config --image "$OCI:bench" --os linux --architecture amd64 \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd /bin/bash \
    --config.workingdir /opt/app
  run umoci-unpack0 umoci unpack --image "$OCI:bench" "$BUNDLE"
  clear_rootfs() { find "$BUNDLE/rootfs" -mindepth 1 -maxdepth 1 -exec rm -rf {} +; }
  # layer 1: the base root filesystem (device nodes left out: /dev is the runtime's)
  clear_rootfs
  run untar-base tar -x --numeric-owner --same-permissions --exclude='./dev/*' -f "$W/base.tar" -C "$BUNDLE/rootfs"
  run repack-base umoci repack --refresh-bundle --image "$OCI:base" \
    --history.created_by "mmdebstrap --variant=minbase $SUITE" "$BUNDLE"
  # layer 2: replace the tree by the full root filesystem; umoci writes what changed, whiteouts for what went
  clear_rootfs
  run untar-full tar -x --numeric-owner --same-permissions --exclude='./dev/*' -f "$W/full.tar" -C "$BUNDLE/rootfs"
  run repack-full umoci repack --refresh-bundle --image "$OCI:full" \
    --history.created_by "mmdebstrap --variant=minbase --include=$FULL_PKGS $SUITE" "$BUNDLE"
  # layer 3: the application, and the usual clean-up of a Dockerfile RUN (deleted files become whiteouts)
  run copy-app cp -a "$APP/." "$BUNDLE/rootfs/"
  rm -rf "$BUNDLE/rootfs/usr/share/man/"* "$BUNDLE/rootfs/var/log/"*.log "$BUNDLE/rootfs/var/cache/debconf/"*-old
  run repack-app umoci repack --refresh-bundle --image "$OCI:bench" \
    --history.created_by "COPY jars (~/.m2) and node_modules (npm install)" "$BUNDLE"
  run umoci-gc umoci gc --layout "$OCI"
  rm -rf "$BUNDLE"
  # The final root filesystem as umoci applies the layers (whiteouts included): what Trivy scans.
  run unpack-final umoci unpack --image "$OCI:bench" "$W/final.bundle"
  mv "$W/final.bundle/rootfs" "$ROOTFS"
  rm -rf "$W/final.bundle"
  rm -f "$W/image.env"
  stamp_set oci "$IMG_KEY"
fi

# ------------------------------------------------------------------ 4. sizes (once per image)
if [ ! -s "$W/image.env" ]; then
  say "measuring sizes"
  mdig="$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]=="bench") | .digest' "$OCI/index.json")"
  manifest="$OCI/blobs/${mdig/://}"
  compressed=0; uncompressed=0; per=""
  while read -r d s; do
    u="$(gzip -dc "$OCI/blobs/${d/://}" | wc -c)"
    compressed=$((compressed + s)); uncompressed=$((uncompressed + u))
    per="$per${per:+ }$s/$u"
  done < <(jq -r '.layers[] | "\(.digest) \(.size)"' "$manifest")
  {
    echo "BENCH_OCI=$OCI"
    echo "BENCH_TAG=bench"
    echo "BENCH_ROOTFS=$ROOTFS"
    echo "BENCH_MANIFEST=$mdig"
    echo "BENCH_LAYERS=$(jq '.layers|length' "$manifest")"
    echo "BENCH_LAYER_SIZES=\"$per\""            # compressed/uncompressed bytes per layer, base first
    echo "BENCH_COMPRESSED_BYTES=$compressed"
    echo "BENCH_UNCOMPRESSED_BYTES=$uncompressed"  # sum of the layer tars
    echo "BENCH_ROOTFS_BYTES=$(du -sb "$ROOTFS" | cut -f1)"
    echo "BENCH_ROOTFS_FILES=$(find "$ROOTFS" | wc -l)"
    echo "BENCH_DPKG_PACKAGES=$(grep -c '^Package: ' "$ROOTFS/var/lib/dpkg/status")"
    echo "BENCH_JARS=$(wc -l <"$W/app-jars.txt")"
    echo "BENCH_FULL_PKGS=$FULL_PKGS"
  } >"$W/image.env.tmp"
  mv "$W/image.env.tmp" "$W/image.env"
fi
. "$W/image.env"
[ "$BENCH_UNCOMPRESSED_BYTES" -ge 500000000 ] || die "image is only $BENCH_UNCOMPRESSED_BYTES bytes uncompressed (< 500 MB): add packages to FULL_PKGS"
say "oci:$BENCH_OCI:$BENCH_TAG  $BENCH_LAYERS layers, $((BENCH_COMPRESSED_BYTES/1000000)) MB gzip, $((BENCH_UNCOMPRESSED_BYTES/1000000)) MB uncompressed; rootfs $BENCH_ROOTFS"
