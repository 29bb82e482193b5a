#!/usr/bin/env bash
# Usage: scripts/debian-advisories.sh [--status FILE]... [--rootfs DIR|TAR]... [--out DIR] [--refresh] [SOURCE...]
#        scripts/debian-advisories.sh --builtin [--refresh]
#
# Debian bookworm advisories built from the real changelogs of the bookworm-security packages, in the Debian
# Security Tracker JSON format (DebianTrackerParser). For every source package that has a newer version in
# bookworm-security than in bookworm, one binary .deb built from it at the security version is downloaded (apt-get
# download, private apt state), its usr/share/doc/<pkg>/changelog.Debian.gz is read, and every CVE named by an entry
# newer than the bookworm version and not newer than the security version is "fixed" at the OLDEST such entry's
# version. Writes <out>/debian-bookworm-security.json and <out>/debian-bookworm-security.tsv.
#
# The source packages: the SOURCE arguments, plus every package installed in each --status file / --rootfs (its
# var/lib/dpkg/status); with none given, the test rootfs of scripts/testimages.sh if built, else this machine (/).
# --builtin: the source packages of a minimal bookworm system (Priority required + important + apt and their
# dependencies, resolved by apt against the bookworm index; plus the test rootfs and this machine's installed
# required/important packages), written to bulwark-vulndb's built-in resource debian-bookworm.json.gz (+ README.md).
#
# The mirror is the one this machine's apt uses (apt-get indextargets). Indexes and changelogs are cached under
# .bulwark-work/debian-advisories/; the indexes are refreshed when older than an hour (--refresh: always). Without
# the mirror the cache is used; with nothing cached it stops with one line (exit 1 when CI=true, else exit 0).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/scripts/debian-advisories"
WORK="$ROOT/.bulwark-work"
DA="$WORK/debian-advisories"
APTD="$DA/apt"
CL="$DA/changelogs"
LOG="$DA/logs"
RES="$ROOT/bulwark-vulndb/src/main/resources/dev/bulwark/vulndb/builtin"
MAX_AGE="${DEBIAN_ADVISORIES_MAX_AGE:-3600}"
NAME=debian-bookworm-security

usage() { # [exit code]
  sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}
warn() { echo "debian-advisories.sh: $*" >&2; }
die() { echo "debian-advisories.sh: $*" >&2; exit 1; }
# No data can be had (mirror unreachable, nothing cached): one line; a failure only in CI.
unavailable() {
  if [ "${CI:-}" = true ]; then die "$*"; fi
  echo "debian-advisories.sh: $* — skipped (with CI=true this fails)" >&2
  exit 0
}

STATUS_FILES=() ROOTFSES=() SOURCES=() OUT="" BUILTIN=0 REFRESH=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --status) [ "$#" -ge 2 ] || usage; STATUS_FILES+=("$2"); shift 2 ;;
    --rootfs) [ "$#" -ge 2 ] || usage; ROOTFSES+=("$2"); shift 2 ;;
    --out) [ "$#" -ge 2 ] || usage; OUT="$2"; shift 2 ;;
    --builtin) BUILTIN=1; shift ;;
    --refresh) REFRESH=1; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "debian-advisories.sh: unknown option $1" >&2; usage ;;
    *) [[ "$1" =~ ^[a-z0-9][a-z0-9+.-]+$ ]] || { echo "debian-advisories.sh: not a source package name: $1" >&2; usage; }
       SOURCES+=("$1"); shift ;;
  esac
done
if [ "$BUILTIN" = 1 ] && { [ -n "$OUT" ] || [ "${#STATUS_FILES[@]}" -gt 0 ] || [ "${#ROOTFSES[@]}" -gt 0 ] \
   || [ "${#SOURCES[@]}" -gt 0 ]; }; then
  echo "debian-advisories.sh: --builtin takes no other selection" >&2; usage
fi
for t in apt-get dpkg dpkg-deb jq gzip tar flock; do
  command -v "$t" >/dev/null || die "$t is missing"
done
APT_HELPER=/usr/lib/apt/apt-helper
[ -x "$APT_HELPER" ] || die "$APT_HELPER is missing"

mkdir -p "$APTD/state/lists/partial" "$APTD/cache/archives/partial" "$APTD/etc/preferences.d" "$CL" "$LOG"
exec 9>"$DA/.lock"
flock -w 900 9 || die "another debian-advisories.sh run holds $DA/.lock"
TMP="$(mktemp -d "$DA/tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# ------------------------------------------------------------------ private apt
# Only bookworm and bookworm-security, deb and deb-src, from the URIs this machine's apt is configured with (read at
# run time; nothing here names a host). State, lists and caches are private: no fight with the system's apt.
[ -f "$APTD/state/status" ] || : >"$APTD/state/status"
APT_OPTS=(
  -o "Dir::State=$APTD/state" -o "Dir::State::status=$APTD/state/status"
  -o "Dir::Cache=$APTD/cache" -o "Dir::Cache::pkgcache="
  -o "Dir::Cache::srcpkgcache="
  -o "Dir::Etc::sourcelist=$APTD/etc/sources.list" -o "Dir::Etc::sourceparts=-"
  -o "Dir::Etc::preferences=$APTD/etc/preferences" -o "Dir::Etc::preferencesparts=$APTD/etc/preferences.d"
  -o "APT::Sandbox::User=root" -o "Acquire::Retries=2" -o "Acquire::http::Timeout=30" -o "Acquire::https::Timeout=30"
  -o "Acquire::Languages=none" -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
)
papt() { apt-get -q "${APT_OPTS[@]}" "$@"; }

write_sources_list() {
  local lines keyring=""
  [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
  lines="$(apt-get indextargets --no-release-info --format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null \
    | awk -v k="$keyring" '$1 == "deb" && ($3 == "bookworm" || $3 == "bookworm-security") {
        if (!($3 in uri)) { uri[$3] = $2; order[++n] = $3 }
        if (uri[$3] == $2 && index(" " comp[$3] " ", " " $4 " ") == 0) comp[$3] = comp[$3] (comp[$3] == "" ? "" : " ") $4 }
      END { for (i = 1; i <= n; i++) { s = order[i]
              print "deb " k uri[s] " " s " " comp[s]; print "deb-src " k uri[s] " " s " " comp[s] } }')"
  case "$lines" in *" bookworm "*) ;; *) return 1 ;; esac
  case "$lines" in *" bookworm-security "*) ;; *) return 1 ;; esac
  printf '%s\n' "$lines" >"$TMP/sources.list"
  if ! cmp -s "$TMP/sources.list" "$APTD/etc/sources.list"; then
    mv "$TMP/sources.list" "$APTD/etc/sources.list"
    REFRESH=1
  fi
}

# The index files of a kind (Sources, Packages) and suite, as apt keeps them (compressed): space-separated paths
ARCH="$(dpkg --print-architecture)"
index_files() {
  local pat f out=""
  case "$1" in
    Sources) pat="*_dists_$2_*_source_Sources" ;;
    Packages) pat="*_dists_$2_*_binary-${ARCH}_Packages" ;;
  esac
  for f in "$APTD/state/lists/"$pat "$APTD/state/lists/"$pat.*; do
    [ -s "$f" ] && out="$out${out:+ }$f"
  done
  echo "$out"
}
have_indexes() {
  local k x
  for k in "Sources bookworm" "Packages bookworm" "Sources bookworm-security" "Packages bookworm-security"; do
    # shellcheck disable=SC2086
    x="$(index_files $k)"; [ -n "$x" ] || return 1
  done
}
update_indexes() {
  papt update --error-on=any >"$LOG/apt-update.log" 2>&1 && have_indexes && touch "$APTD/updated"
}
# apt's first error in a log, on one line, without the mirror's address
first_error() {
  local e
  e="$(awk '/^Err:/ {sub(/^Err:[0-9]* [^ ]* /, ""); e = $0; getline; sub(/^ +/, ""); print e ": " $0; exit}
            /^E: / {sub(/^E: /, ""); print; exit}' "$1" 2>/dev/null | sed -E 's#[a-z]+://[^ ]*#<mirror>#g')"
  echo "${e:-apt-get failed, see $1}"
}

fresh=0
if [ "$REFRESH" = 0 ] && [ -s "$APTD/etc/sources.list" ] && have_indexes && [ -f "$APTD/updated" ] \
   && [ -n "$(find "$APTD/updated" -newermt "-$MAX_AGE seconds")" ]; then
  fresh=1
fi
if [ "$fresh" = 0 ]; then
  # (re)read this machine's apt sources only when the indexes are to be refreshed anyway
  if ! write_sources_list; then
    [ -s "$APTD/etc/sources.list" ] || unavailable "no bookworm and bookworm-security entries in this machine's apt sources"
  fi
  if ! update_indexes; then
    if have_indexes; then
      echo "debian-advisories.sh: the mirror is unreachable ($(first_error "$LOG/apt-update.log")); using the cached indexes" >&2
    else
      unavailable "the Debian mirror is unreachable and no indexes are cached ($(first_error "$LOG/apt-update.log"))"
    fi
  fi
fi

# ------------------------------------------------------------------ indexes → TSV (cached by index file identity)
release_date() { # suite → the Date of its InRelease
  local f
  for f in "$APTD/state/lists/"*"_dists_$1_InRelease"; do
    [ -f "$f" ] && awk -F': ' '/^Date:/ {print $2; exit}' "$f" && return 0
  done
  echo unknown
}
release_field() { # suite field
  local f
  for f in "$APTD/state/lists/"*"_dists_$1_InRelease"; do
    [ -f "$f" ] && awk -v k="$2:" '$1 == k {print $2; exit}' "$f" && return 0
  done
}

# derived KIND SUITE NAME AWK-PROGRAM: the indexes decompressed through an awk program, cached beside the lists
derived() {
  local src out="$DA/index/$3.tsv" key
  src="$(index_files "$1" "$2")"
  # shellcheck disable=SC2086
  key="$(stat -c '%n %s %Y' $src)"
  mkdir -p "$DA/index"
  if [ ! -f "$out" ] || [ "$(cat "$out.key" 2>/dev/null)" != "$key" ]; then
    # shellcheck disable=SC2086
    "$APT_HELPER" cat-file $src | awk -v RS= -F'\n' "$4" | LC_ALL=C sort -u >"$out.tmp"
    mv "$out.tmp" "$out"
    printf '%s' "$key" >"$out.key"
  fi
  echo "$out"
}
# paragraph field helper shared by the awk programs: f("Version") etc.
AWK_FIELD='function f(k,   i, p) { for (i = 1; i <= NF; i++) { p = index($i, ":"); if (p && substr($i, 1, p - 1) == k) return substr($i, p + 2) } return "" }'
# Sources: source <TAB> version (Extra-Source-Only paragraphs are kept only for licence reasons: left out)
SRC_PROG="$AWK_FIELD"' f("Extra-Source-Only") != "yes" { print f("Package") "\t" f("Version") }'
# Packages: binary <TAB> arch <TAB> version <TAB> source <TAB> source version <TAB> size <TAB> priority
BIN_PROG="$AWK_FIELD"' { s = f("Source"); sv = f("Version"); if (s == "") s = f("Package");
  else if (index(s, " (")) { sv = substr(s, index(s, " (") + 2); sub(/\)$/, "", sv); s = substr(s, 1, index(s, " (") - 1) }
  print f("Package") "\t" f("Architecture") "\t" f("Version") "\t" s "\t" sv "\t" f("Size") "\t" f("Priority") }'
SRC_BOOKWORM="$(derived Sources bookworm sources-bookworm "$SRC_PROG")"
SRC_SECURITY="$(derived Sources bookworm-security sources-bookworm-security "$SRC_PROG")"
BIN_SECURITY="$(derived Packages bookworm-security packages-bookworm-security "$BIN_PROG")"

# highest version (dpkg order) of each wanted source in a "source <TAB> version" file → associative array named $2
max_versions() {
  local -n into="$2"
  local s v
  while IFS=$'\t' read -r s v; do
    if [ -z "${into[$s]:-}" ] || dpkg --compare-versions "$v" gt "${into[$s]}"; then into[$s]="$v"; fi
  done < <(awk -F'\t' 'NR == FNR {want[$1] = 1; next} ($1 in want)' "$TMP/wanted.sorted" "$1")
}

# ------------------------------------------------------------------ which source packages
# installed packages of a dpkg status file: source <TAB> source version <TAB> binary
status_sources() {
  awk -v RS= -F'\n' "$AWK_FIELD"' { split(f("Status"), st, " "); if (st[3] != "installed") next
    s = f("Source"); sv = f("Version"); if (s == "") s = f("Package")
    else if (index(s, " (")) { sv = substr(s, index(s, " (") + 2); sub(/\)$/, "", sv); s = substr(s, 1, index(s, " (") - 1) }
    print s "\t" sv "\t" f("Package") }' "$1"
}
rootfs_status() { # dir or tar → a status file path
  local r="$1" out="$TMP/status.$RANDOM"
  if [ -d "$r" ]; then
    [ -f "$r/var/lib/dpkg/status" ] || die "$r has no var/lib/dpkg/status"
    echo "$r/var/lib/dpkg/status"
  elif [ -f "$r" ]; then
    tar -xOf "$r" --wildcards --no-anchored 'var/lib/dpkg/status' --exclude='*-old' >"$out" 2>/dev/null || true
    [ -s "$out" ] || die "$r holds no var/lib/dpkg/status"
    echo "$out"
  else
    die "no such root filesystem: $r"
  fi
}
test_rootfs_status() { # the status of scripts/testimages.sh's rootfs, if built
  local d="$WORK/images/bookworm-rootfs" t="$WORK/images/bookworm-rootfs.tar"
  if [ -f "$WORK/images/manifest.env" ]; then
    d="$(awk -F= '$1 == "ROOTFS_DIR" {print $2}' "$WORK/images/manifest.env")"
    t="$(awk -F= '$1 == "ROOTFS_TAR" {print $2}' "$WORK/images/manifest.env")"
  fi
  if [ -n "$d" ] && [ -f "$d/var/lib/dpkg/status" ]; then rootfs_status "$d"
  elif [ -n "$t" ] && [ -f "$t" ]; then rootfs_status "$t"
  fi
}

: >"$TMP/installed.tsv"   # source <TAB> installed source version <TAB> binary
: >"$TMP/wanted"          # source names
if [ "$BUILTIN" = 1 ]; then
  OUT="$DA/builtin"
  BIN_BOOKWORM="$(derived Packages bookworm packages-bookworm "$BIN_PROG")"
  # a minimal Debian system: what debootstrap installs (required + important) and mmdebstrap's minbase
  # (required + apt), with their dependencies as apt resolves them on an empty system
  mapfile -t base < <(awk -F'\t' '($7 == "required" || $7 == "important") && ($2 == "all" || $2 == "amd64") {print $1}' \
    "$BIN_BOOKWORM" | sort -u)
  base+=(apt)
  closure="$DA/index/minimal-closure.txt"
  if [ ! -f "$closure" ] || [ "$(cat "$closure.key" 2>/dev/null)" != "$(cat "$BIN_BOOKWORM.key")" ]; then
    papt -s --no-install-recommends install "${base[@]}" >"$LOG/closure.log" 2>&1 \
      || die "apt could not resolve the required/important packages; see $LOG/closure.log"
    awk '/^Inst / {print $2}' "$LOG/closure.log" | sort -u >"$closure"
    cp "$BIN_BOOKWORM.key" "$closure.key"
  fi
  awk -F'\t' 'NR == FNR {want[$1] = 1; next} ($1 in want) {print $4 "\t-\t" $1}' "$closure" "$BIN_BOOKWORM" \
    >>"$TMP/installed.tsv"
  trs="$(test_rootfs_status)" || exit 1
  if [ -n "$trs" ]; then status_sources "$trs" >>"$TMP/installed.tsv"; fi
  # this machine's installed packages of priority required or important
  dpkg-query -W -f '${db:Status-Abbrev}\t${Priority}\t${source:Package}\t${Package}\n' 2>/dev/null \
    | awk -F'\t' '$1 ~ /^ii/ && ($2 == "required" || $2 == "important") {print $3 "\t-\t" $4}' >>"$TMP/installed.tsv"
  SELECTION="a minimal bookworm system: the packages of Priority required and important, and apt, with their"
  SELECTION="$SELECTION dependencies (apt-get -s --no-install-recommends install on an empty system)"
  SELECTION="$SELECTION${trs:+, the packages of the test rootfs} and this machine's installed required/important packages"
else
  OUT="${OUT:-$DA/out}"
  for s in "${STATUS_FILES[@]}"; do
    [ -f "$s" ] || die "no such status file: $s"
    status_sources "$s" >>"$TMP/installed.tsv"
  done
  for r in "${ROOTFSES[@]}"; do
    st="$(rootfs_status "$r")" || exit 1
    status_sources "$st" >>"$TMP/installed.tsv"
  done
  if [ "${#STATUS_FILES[@]}" -eq 0 ] && [ "${#ROOTFSES[@]}" -eq 0 ] && [ "${#SOURCES[@]}" -eq 0 ]; then
    trs="$(test_rootfs_status)" || exit 1
    if [ -n "$trs" ]; then status_sources "$trs" >>"$TMP/installed.tsv"
    else status_sources /var/lib/dpkg/status >>"$TMP/installed.tsv"; fi
  fi
  printf '%s\n' "${SOURCES[@]}" | sed '/^$/d' >"$TMP/wanted"
fi
cut -f1 "$TMP/installed.tsv" >>"$TMP/wanted"
LC_ALL=C sort -u "$TMP/wanted" | sed '/^$/d' >"$TMP/wanted.sorted"
mapfile -t WANTED <"$TMP/wanted.sorted"
[ "${#WANTED[@]}" -gt 0 ] || die "no source packages selected"
declare -A VB=() VS=()
max_versions "$SRC_BOOKWORM" VB
max_versions "$SRC_SECURITY" VS
declare -A INST=()   # source → installed source version(s)
while IFS=$'\t' read -r s v _; do
  [ -n "$v" ] && [ "$v" != - ] || continue
  case " ${INST[$s]:-} " in *" $v "*) ;; *) INST[$s]="${INST[$s]:+${INST[$s]} }$v" ;; esac
done <"$TMP/installed.tsv"
declare -A INSTBIN=()
while IFS=$'\t' read -r _ _ b; do [ -n "$b" ] && INSTBIN[$b]=1; done <"$TMP/installed.tsv"

# the sources to read: a security version newer than the bookworm one
TODO=()
n_security=0 n_superseded=0 n_nobase=0
for s in "${WANTED[@]}"; do
  [ -n "${VS[$s]:-}" ] || continue
  n_security=$((n_security + 1))
  if [ -z "${VB[$s]:-}" ]; then n_nobase=$((n_nobase + 1)); continue; fi
  if ! dpkg --compare-versions "${VS[$s]}" gt "${VB[$s]}"; then n_superseded=$((n_superseded + 1)); continue; fi
  TODO+=("$s")
done

# ------------------------------------------------------------------ changelogs (one .deb per source)
clfile() { echo "$CL/$1_${2//:/%3a}.gz"; }
# candidate binaries of source $1 at version $2, best first: installed ones, then arch:all, then the rest; small first
candidates() {
  awk -F'\t' -v s="$1" -v v="$2" -v a="$ARCH" '$4 == s && $5 == v && ($2 == "all" || $2 == a) {print $1 "\t" $3 "\t" $2 "\t" $6}' \
    "$BIN_SECURITY" | while IFS=$'\t' read -r b bv a size; do
      rank=2; [ "$a" = all ] && rank=1; [ -n "${INSTBIN[$b]:-}" ] && rank=0
      printf '%s\t%012d\t%s\t%s\n' "$rank" "${size:-0}" "$b" "$bv"
    done | LC_ALL=C sort | cut -f3,4
}

declare -A TRY=() TRIED=() SKIP=()
for s in "${TODO[@]}"; do
  f="$(clfile "$s" "${VS[$s]}")"
  [ -s "$f" ] && continue
  TRY[$s]="$(candidates "$s" "${VS[$s]}" | head -n 1)"
  if [ -z "${TRY[$s]}" ]; then
    warn "no $ARCH/all binary of $s ${VS[$s]} in the bookworm-security Packages index; $s skipped"
    unset 'TRY[$s]'; SKIP[$s]=1
  fi
done
round=0
while [ "${#TRY[@]}" -gt 0 ]; do
  round=$((round + 1))
  if [ "$round" -gt 4 ]; then
    for s in "${!TRY[@]}"; do warn "no changelog found in 4 binaries of $s ${VS[$s]}; $s skipped"; SKIP[$s]=1; done
    break
  fi
  dl="$TMP/debs.$round"
  mkdir -p "$dl"
  args=()
  for s in "${!TRY[@]}"; do args+=("$(cut -f1 <<<"${TRY[$s]}")=$(cut -f2 <<<"${TRY[$s]}")"); done
  if ! (cd "$dl" && papt download "${args[@]}") >"$LOG/download.$round.log" 2>&1; then
    missing=()
    for s in "${!TRY[@]}"; do
      b="$(cut -f1 <<<"${TRY[$s]}")"
      compgen -G "$dl/${b}_*.deb" >/dev/null || missing+=("$b")
    done
    [ "${#missing[@]}" -eq 0 ] || unavailable "could not download ${missing[*]} from the Debian mirror ($(first_error "$LOG/download.$round.log")); see $LOG/download.$round.log"
  fi
  for s in "${!TRY[@]}"; do
    b="$(cut -f1 <<<"${TRY[$s]}")"
    TRIED["$s $b"]=1
    deb="$(compgen -G "$dl/${b}_*.deb" | head -n 1)"
    listing="$(dpkg-deb -c "$deb")"
    next=""
    # "type path -> target" of the doc directory and of its changelog, if present
    doc="$(awk -v d="./usr/share/doc/$b" '$6 == d || $6 == d "/" {print substr($1, 1, 1) " " $6 " " $8}' <<<"$listing")"
    member=""
    for m in changelog.Debian.gz changelog.gz; do
      member="$(awk -v p="./usr/share/doc/$b/$m" '$6 == p {print substr($1, 1, 1) " " $6 " " $8; exit}' <<<"$listing")"
      [ -z "$member" ] || break
    done
    if [ "${doc%% *}" = l ]; then
      next="$(basename "${doc##* }")"                # the doc directory is another package's: take that package
    elif [ "${member%% *}" = l ]; then
      next="$(basename "$(dirname "${member##* }")")" # the changelog is a link into another package's doc dir
    elif [ -n "$member" ]; then
      f="$(clfile "$s" "${VS[$s]}")"
      m="$(cut -d' ' -f2 <<<"$member")"
      dpkg-deb --fsys-tarfile "$deb" | tar -xO "$m" >"$f.tmp"
      gzip -t "$f.tmp" 2>/dev/null || die "$b: $m is not a gzip file"
      mv "$f.tmp" "$f"
      printf '%s\n' "$b" >"${f%.gz}.from"
      unset 'TRY[$s]'
      continue
    fi
    # the symlink's target if it is built from the same source at this version, else the next untried candidate
    TRY[$s]=""
    if [ -n "$next" ] && [ -z "${TRIED["$s $next"]:-}" ]; then
      TRY[$s]="$(candidates "$s" "${VS[$s]}" | awk -F'\t' -v b="$next" '$1 == b' | head -n 1)"
    fi
    if [ -z "${TRY[$s]}" ]; then
      while IFS=$'\t' read -r cb cv; do
        [ -z "${TRIED["$s $cb"]:-}" ] && { TRY[$s]="$cb"$'\t'"$cv"; break; }
      done < <(candidates "$s" "${VS[$s]}")
    fi
    if [ -z "${TRY[$s]}" ]; then
      warn "no binary of $s ${VS[$s]} carries its changelog (last tried $b); $s skipped"
      unset 'TRY[$s]'; SKIP[$s]=1
    fi
  done
  rm -rf "$dl"
done

# ------------------------------------------------------------------ changelog entries → fixed versions
# rows: source cve fixed bookworm security installed urgency description
#
# Which entries count: a bookworm-security changelog is the bookworm branch's history, but some packages (openjdk,
# firefox-esr, …) are rebuilt from unstable with the unstable entries kept below a one-line "Rebuild for bookworm"
# entry. So: an entry for bookworm (distribution bookworm*/stable*, or a deb12 version) counts when its version is
# newer than the bookworm version and not newer than the security version; any other entry counts when its version
# is newer than the bookworm version's base (the bookworm version less its ~deb12uN/+deb12uN suffix: 17.0.19+10-1
# is in 17.0.19+10-1~deb12u2), and then its fix reached bookworm with the nearest bookworm entry above it — that
# entry's version is the one used. Reading stops at the first entry that is not newer.
is_bookworm_entry() { # version distribution
  case "$2" in bookworm*|stable*|oldstable*) return 0 ;; esac
  case "$1" in *deb12*) return 0 ;; esac
  return 1
}
: >"$TMP/rows.tsv"
for s in "${TODO[@]}"; do
  [ -z "${SKIP[$s]:-}" ] || continue
  vb="${VB[$s]}" vs="${VS[$s]}"
  vbase="$(sed -E 's/[~+]deb12u[0-9]+$//' <<<"$vb")"
  f="$(clfile "$s" "$vs")"
  declare -A EV=() EU=()
  qual=()
  above=""   # the version of the nearest bookworm entry above, in file order
  gzip -dc "$f" | awk -f "$HERE/changelog.awk" >"$TMP/entries"
  while IFS=$'\t' read -r n a b c; do
    [ "$b" != - ] || b=""
    if is_bookworm_entry "$a" "$c"; then
      dpkg --compare-versions "$a" gt "$vb" || break
      above="$a"
      dpkg --compare-versions "$a" le "$vs" || continue
      EV[$n]="$a"
    else
      dpkg --compare-versions "$a" gt "$vbase" || break
      if [ -n "$above" ]; then EV[$n]="$above"
      elif dpkg --compare-versions "$a" le "$vs"; then EV[$n]="$a"
      else continue
      fi
    fi
    EU[$n]="$b"
    qual+=("$n")
  done < <(awk -F'\t' -v OFS='\t' '$1 == "H" {print $2, $3, $4, $5}' "$TMP/entries")
  # the qualifying entries from oldest to newest (dpkg order of the version that reached bookworm; file order after)
  sorted=()
  for n in "${qual[@]}"; do
    i=${#sorted[@]}
    while [ "$i" -gt 0 ] && dpkg --compare-versions "${EV[${sorted[$((i - 1))]}]}" gt "${EV[$n]}"; do
      sorted[i]="${sorted[$((i - 1))]}"; i=$((i - 1))
    done
    sorted[i]="$n"
  done
  : >"$TMP/ranks"
  for i in "${!sorted[@]}"; do
    n="${sorted[$i]}"
    printf '%s\t%s\t%s\t%s\n' "$n" "$i" "${EV[$n]}" "${EU[$n]}" >>"$TMP/ranks"
  done
  # each CVE once, from its oldest qualifying entry
  awk -F'\t' -v OFS='\t' -v s="$s" -v vb="$vb" -v vs="$vs" -v inst="${INST[$s]:-}" '
    NR == FNR { rank[$1] = $2; ver[$1] = $3; urg[$1] = $4; next }
    $1 == "C" && ($2 in rank) && (!($3 in best) || rank[$2] < best[$3]) { best[$3] = rank[$2]; row[$3] = s OFS $3 OFS ver[$2] OFS vb OFS vs OFS inst OFS urg[$2] OFS $4 }
    END { for (c in row) print row[c] }' "$TMP/ranks" "$TMP/entries" >>"$TMP/rows.tsv"
  unset EV EU
done
LC_ALL=C sort -t$'\t' -k1,1 -k2,2 -o "$TMP/rows.tsv" "$TMP/rows.tsv"

# ------------------------------------------------------------------ outputs (rewritten only when changed)
mkdir -p "$OUT"
jq -R -s -c -S -f "$HERE/to-tracker.jq" "$TMP/rows.tsv" >"$TMP/$NAME.json"
{
  printf 'source\tcve\tfixed_version\tbookworm_version\tsecurity_version\tinstalled_version\n'
  cut -f1-6 "$TMP/rows.tsv"
} >"$TMP/$NAME.tsv"
put() { # tmp-file final-path
  if cmp -s "$1" "$2"; then rm -f "$1"; else mv "$1" "$2"; fi
}
put "$TMP/$NAME.json" "$OUT/$NAME.json"
put "$TMP/$NAME.tsv" "$OUT/$NAME.tsv"
n_cves="$(wc -l <"$TMP/rows.tsv")"
n_srcs="$(cut -f1 "$TMP/rows.tsv" | sort -u | wc -l)"
{
  printf 'selected_sources=%s\n' "${#WANTED[@]}"
  printf 'sources_in_security=%s\n' "$n_security"
  printf 'sources_superseded_by_point_release=%s\n' "$n_superseded"
  printf 'sources_not_in_bookworm=%s\n' "$n_nobase"
  printf 'sources_read=%s\n' "${#TODO[@]}"
  printf 'sources_skipped=%s\n' "${#SKIP[@]}"
  printf 'sources_with_cves=%s\n' "$n_srcs"
  printf 'cves=%s\n' "$n_cves"
  printf 'bookworm_release=%s (%s)\n' "$(release_field bookworm Version)" "$(release_date bookworm)"
  printf 'bookworm_security_date=%s\n' "$(release_date bookworm-security)"
} >"$TMP/$NAME.info"
put "$TMP/$NAME.info" "$OUT/$NAME.info"

if [ "$BUILTIN" = 1 ]; then
  mkdir -p "$RES"
  gzip -9 -n -c "$OUT/$NAME.json" >"$TMP/debian-bookworm.json.gz"
  put "$TMP/debian-bookworm.json.gz" "$RES/debian-bookworm.json.gz"
  SECDATE="$(release_date bookworm-security)" BWDATE="$(release_date bookworm)" BWVER="$(release_field bookworm Version)" \
  NSRC="$n_srcs" NCVE="$n_cves" NSEL="${#WANTED[@]}" NREAD="${#TODO[@]}" SIZE="$(stat -c %s "$RES/debian-bookworm.json.gz")" \
  SELECTION="$SELECTION" awk '{
      n = split("SECDATE BWDATE BWVER NSRC NCVE NSEL NREAD SIZE SELECTION", k, " ")
      for (i = 1; i <= n; i++) gsub("@" k[i] "@", ENVIRON[k[i]])
      print }' "$HERE/builtin-README.md.in" >"$TMP/README.md"
  put "$TMP/README.md" "$RES/README.md"
fi
