#!/usr/bin/env bash
# Regenerates the lockfile fixtures beside this script with the real tools, all installed from the npm registry:
# npm 11 (v3 and v2 lockfiles), npm 6 (v1), yarn 1 (classic yarn.lock), yarn 4 (berry), pnpm 7/8/9 (lockfile 5.4, 6.0, 9.0).
# Each tool also lists what it installed (expected-*.txt, "name@version" per line, sorted): the tests compare
# Bulwark's parse of the lockfile with that list.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
reg=https://registry.npmjs.org
npm install --prefix "$work/tools" --no-audit --no-fund --loglevel=error \
  npm6@npm:npm@6.14.18 yarn@1.22.22 @yarnpkg/cli-dist@4.5.3 pnpm7@npm:pnpm@7.33.7 pnpm8@npm:pnpm@8.15.9 pnpm9@npm:pnpm@9.15.0 >/dev/null

project() { # dir
  mkdir -p "$1"
  cat > "$1/package.json" <<'JSON'
{"name":"fixture-app","version":"1.0.0","private":true,
 "dependencies":{"@babel/code-frame":"7.12.13","sw":"npm:string-width@4.2.3"},
 "devDependencies":{"ms":"2.1.3"}}
JSON
}
# every node_modules/**/package.json with a name and version, as installed (realpath: pnpm links)
installed() { # dir
  (cd "$1" && find -L node_modules -name package.json -path '*node_modules/*' 2>/dev/null \
    | grep -E 'node_modules/(@[^/]+/)?[^/@.][^/]*/package.json$' \
    | xargs -r node -e 'for (const f of process.argv.slice(1)) { try { const p = require(require("path").resolve(f)); if (p.name && p.version) console.log(p.name + "@" + p.version) } catch (e) {} }') \
    | sort -u
}

project "$work/npm3" && (cd "$work/npm3" && npm install --no-audit --no-fund --loglevel=error --registry $reg >/dev/null)
cp "$work/npm3/package-lock.json" "$here/package-lock-v3.json"; installed "$work/npm3" > "$here/expected-npm.txt"
project "$work/npm2" && (cd "$work/npm2" && npm install --lockfile-version 2 --no-audit --no-fund --loglevel=error --registry $reg >/dev/null)
cp "$work/npm2/package-lock.json" "$here/package-lock-v2.json"
project "$work/npm1" && (cd "$work/npm1" && node "$work/tools/node_modules/npm6/bin/npm-cli.js" install --no-audit --registry $reg >/dev/null 2>&1)
cp "$work/npm1/package-lock.json" "$here/package-lock-v1.json"; installed "$work/npm1" > "$here/expected-npm6.txt"

project "$work/yarn1" && (cd "$work/yarn1" && node "$work/tools/node_modules/yarn/bin/yarn.js" install --registry $reg --non-interactive --no-progress >/dev/null)
cp "$work/yarn1/yarn.lock" "$here/yarn-v1.lock"; installed "$work/yarn1" > "$here/expected-yarn-v1.txt"

project "$work/berry" && (cd "$work/berry" && printf 'npmRegistryServer: "%s"\nnodeLinker: node-modules\nenableTelemetry: false\n' $reg > .yarnrc.yml \
  && YARN_ENABLE_IMMUTABLE_INSTALLS=0 node "$work/tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js" install >/dev/null)
cp "$work/berry/yarn.lock" "$here/yarn-berry.lock"; installed "$work/berry" > "$here/expected-yarn-berry.txt"

for v in 7 8 9; do
  project "$work/pnpm$v" && (cd "$work/pnpm$v" && node "$work/tools/node_modules/pnpm$v/bin/pnpm.cjs" install --registry $reg --reporter=silent >/dev/null)
  cp "$work/pnpm$v/pnpm-lock.yaml" "$here/pnpm$v-lock.yaml"
  (cd "$work/pnpm$v" && ls node_modules/.pnpm | grep -v '^node_modules$\|^lock.yaml$' >/dev/null; installed "$work/pnpm$v") > "$here/expected-pnpm$v.txt"
done
