# Rows (TAB-separated: source, cve, fixed, bookworm version, security version, installed, urgency, description)
# → the Debian Security Tracker JSON dump format read by dev.bulwark.vulndb.feed.DebianTrackerParser.
split("\n")
| map(select(length > 0) | split("\t"))
| reduce .[] as $r ({};
    .[$r[0]][$r[1]] = {
      description: ($r[7] // "" | if length > 240 then .[0:239] + "…" else . end),
      releases: {
        bookworm: ({status: "resolved", fixed_version: $r[2],
                    repositories: {bookworm: $r[3], "bookworm-security": $r[4]}}
                   + (if ($r[6] // "") != "" then {urgency: $r[6]} else {} end))
      }
    })
