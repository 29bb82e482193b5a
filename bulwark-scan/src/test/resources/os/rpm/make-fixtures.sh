#!/usr/bin/env bash
# Regenerates the rpm database fixtures in this directory from the spec files in specs/. Run it by hand when the
# specs change; the tests only read its output. Needs rpm and rpmbuild 4.18 (sqlite backend and the read-only
# "bdb_ro" backend), sqlite3, db5.3-util (db5.3_load) and gpg.
#
#   rpmdb.sqlite        rpm's own sqlite database: the packages registered with --justdb plus one gpg-pubkey
#                       pseudo-package; vacuumed to 512-byte pages so that the file stays small
#   Packages            the same header blobs in a Berkeley DB hash database written by db5.3_load the way rpm
#                       < 4.16 kept it (key: the instance number in host order; key 0: the last instance number),
#                       little-endian with 4 KiB pages
#   Packages-be512      the same, big-endian with 512-byte pages: swapped byte order and long overflow chains
#   Packages-chksum     bulwark-alpha alone with page checksums (a larger page header); rpm's bdb_ro cannot read
#                       those, so db5.3_verify checks this one
#   expected.tsv        rpm -qa: NAME, EPOCH:VERSION-RELEASE, ARCH, SOURCERPM, LICENSE, VENDOR
#   expected-files.tsv  rpm -qla: NAME, file
#
# Both Berkeley DB files are read back with rpm's own bdb_ro backend and must list what the sqlite one lists.
# (Debian's rpm has no NDB backend: the tests build NDB files from these headers with their own writer.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for spec in "$here"/specs/*.spec; do
  rpmbuild -bb --quiet --define "_topdir $work/top" "$spec"
done
db=$work/db
rpm --dbpath "$db" --initdb
rpm --dbpath "$db" -i --justdb --nodeps --noscripts "$work"/top/RPMS/*/*.rpm 2>/dev/null
gpg --no-default-keyring --keyring /usr/share/keyrings/debian-archive-bookworm-stable.gpg --export --armor > "$work/key.asc"
rpm --dbpath "$db" --import "$work/key.asc"

qf='%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\t%{VENDOR}\n'
query() { rpm --dbpath "$1" ${2:+--define "_db_backend $2"} -qa --qf "$qf" 2>/dev/null | LC_ALL=C sort; }
query "$db" > "$here/expected.tsv"
rpm --dbpath "$db" -qa --qf '[%{=NAME}\t%{FILENAMES}\n]' | LC_ALL=C sort > "$here/expected-files.tsv"

sqlite3 "$db/rpmdb.sqlite" 'PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM;' > /dev/null
cp "$db/rpmdb.sqlite" "$here/rpmdb.sqlite"

# A 4-byte integer as hex, in the byte order of the host that would have written the database.
int32() { if [ "$2" = le ]; then printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255));
          else printf '%08x' "$1"; fi; }
bdb() { # order pagesize output [db_load -c option] [SQL filter]
  local dump=$work/dump.$1 max
  max=$(sqlite3 "$db/rpmdb.sqlite" 'SELECT max(hnum) FROM Packages')
  { printf 'VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=%s\nHEADER=END\n' "$2"
    printf ' %s\n %s\n' "$(int32 0 "$1")" "$(int32 "$max" "$1")"
    sqlite3 -separator ' ' "$db/rpmdb.sqlite" "SELECT hnum, lower(hex(blob)) FROM Packages ${5:-} ORDER BY hnum" |
      while read -r hnum blob; do printf ' %s\n %s\n' "$(int32 "$hnum" "$1")" "$blob"; done
    printf 'DATA=END\n'; } > "$dump"
  rm -rf "$work/bdb.$1"; mkdir -p "$work/bdb.$1"
  db5.3_load -c db_lorder=$([ "$1" = le ] && echo 1234 || echo 4321) ${4:+-c "$4"} -f "$dump" "$work/bdb.$1/Packages"
  if [ -z "${4:-}" ]; then diff <(query "$work/bdb.$1" bdb_ro) "$here/expected.tsv"; else db5.3_verify -q "$work/bdb.$1/Packages"; fi
  cp "$work/bdb.$1/Packages" "$here/$3"
}
bdb le 4096 Packages
bdb be 512 Packages-be512
bdb le 512 Packages-chksum chksum=1 "WHERE hnum = (SELECT hnum FROM Packages WHERE instr(blob, CAST('bulwark-alpha' AS BLOB)) > 0 LIMIT 1)"
ls -l "$here"
