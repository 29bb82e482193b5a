# Reads a Debian changelog (debian/changelog format, uncompressed) and prints, in file order:
#   H <TAB> entry-number <TAB> version <TAB> urgency <TAB> distribution    for every entry header ("-": none)
#   C <TAB> entry-number <TAB> CVE-id <TAB> description        once per CVE named in that entry
# The description is the changelog item (bullet) that names the CVE, its lines joined; a bare sub-item
# ("- CVE-…") is prefixed with its parent item's text. mawk-compatible (no interval expressions, no gensub).
function squash(s) { gsub(/[ \t\r]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
function flush(   desc, rest, t, id) {
  if (item == "") return
  desc = squash(item)
  rest = desc
  gsub(CVE, "", rest)
  gsub(/[^A-Za-z0-9]/, "", rest)
  if (length(rest) < 12 && level > 0 && parent != "") desc = squash(parent) " " desc
  t = item
  while (match(t, CVE)) {
    id = toupper(substr(t, RSTART, RLENGTH))
    t = substr(t, RSTART + RLENGTH)
    emit(id, desc)
    # "CVE-2026-56209-56210-56211" (patch names): the same year's further numbers
    year = substr(id, 1, 9)
    while (match(t, /^-[0-9][0-9][0-9][0-9][0-9]*/)) {
      emit(year substr(t, 2, RLENGTH - 1), desc)
      t = substr(t, RLENGTH + 1)
    }
  }
  item = ""
}
function emit(id, desc) {
  if (!((n SUBSEP id) in seen)) { seen[n, id] = 1; printf "C\t%d\t%s\t%s\n", n, id, desc }
}
BEGIN { CVE = "[Cc][Vv][Ee]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*" }
/^[A-Za-z0-9][A-Za-z0-9+.-]* \([^ ()]+\) [^;]*;/ {
  flush(); parent = ""
  n++
  v = $0; sub(/^[^(]*\(/, "", v); sub(/\).*$/, "", v)
  u = tolower($0); urg = "-"
  if (match(u, /urgency=[a-z]+/)) urg = substr(u, RSTART + 8, RLENGTH - 8)
  d = $0; sub(/^[^)]*\) */, "", d); sub(/;.*$/, "", d); gsub(/ +/, ",", d); if (d == "") d = "-"
  printf "H\t%d\t%s\t%s\t%s\n", n, v, urg, d
  next
}
n == 0 { next }
# trailer, blank line, or a "[ Name ]" group heading: the item ends (a heading also ends the parent)
/^ -- / || /^[ \t]*$/ || /^ +\[ .* \][ \t]*$/ { flush(); if ($0 !~ /^[ \t]*$/) parent = ""; next }
/^ +[*+o-] / {
  flush()
  lead = $0; sub(/[^ ].*$/, "", lead)
  level = (length(lead) <= 2) ? 0 : 1
  item = $0; sub(/^ +[*+o-] /, "", item)
  if (level == 0) parent = item
  next
}
/^[ \t]/ {
  if (item == "") { item = $0; level = 1 } else item = item " " $0
  if (level == 0) parent = parent " " $0
  next
}
END { flush() }
