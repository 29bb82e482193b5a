# shellcheck shell=bash
# Shared helpers for scripts/*.sh (sourced, not run). Usage: . "$(dirname "$0")/lib.sh"

# Major version of the JDK at $1 (empty if none).
jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java\.specification\.version/ {print $2; exit}' | cut -d. -f1
}

# Prints a JDK >= 21: $JAVA_HOME if it qualifies, else /usr/lib/jvm/*25*, *21*, then any other >= 21.
find_jdk() {
  local d m
  if [ -n "${JAVA_HOME:-}" ]; then
    m="$(jdk_major "$JAVA_HOME")"
    if [ -n "$m" ] && [ "$m" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for d in /usr/lib/jvm/*25* /usr/lib/jvm/*21* /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    m="$(jdk_major "$d")"
    if [ -n "$m" ] && [ "$m" -ge 21 ]; then echo "$d"; return 0; fi
  done
  echo "no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm)" >&2
  return 1
}
