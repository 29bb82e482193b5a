// Writes a node-semver corpus: random ranges and versions, and what semver.satisfies says with and without
// includePrerelease. Lines: "sat<TAB>range<TAB>version<TAB>plain<TAB>withPrerelease" (1/0), and
// "invalid<TAB>range" for ranges node-semver refuses.
const semver = require('semver');

let seed = 7;
function rand(n) { // a small deterministic LCG, so the corpus is reproducible
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor(seed / 65536) % n; // the low bits of an LCG are poor
}
const pick = (...xs) => xs[rand(xs.length)];

function num() { return pick('0', '1', '2', '0', '1', '10'); }
function partial() {
  const x = () => pick(num(), num(), num(), num(), num(), 'x', '*', 'X');
  const n = rand(4);
  if (n === 0) return rand(3) === 0 ? pick('*', 'x', '') : x();
  if (n === 1) return x();
  if (n === 2) return x() + '.' + x();
  return x() + '.' + x() + '.' + x() + pick('', '', '', '-0', '-beta', '-alpha.1', '-rc.2');
}
function simple() {
  return pick('', '', '^', '~', '>', '>=', '<', '<=', '=', '~>', '> ', 'v', '^v') + partial();
}
function set() {
  if (rand(5) === 0) return partial() + ' - ' + partial();
  const n = 1 + rand(2);
  return Array.from({length: n}, simple).join(' ').trim();
}
function range() { return Array.from({length: 1 + rand(2)}, set).join(pick(' || ', '||')); }
function version() {
  return [num(), num(), num()].join('.') + pick('', '', '', '-0', '-beta', '-alpha.1', '-rc.2', '-beta.2');
}

console.log('# node-semver ' + require('semver/package.json').version);
let written = 0;
while (written < 400) {
  const r = range();
  let parsed;
  try { parsed = new semver.Range(r); } catch (e) { continue; }
  if (parsed.range === undefined) continue;
  for (let i = 0; i < 3; i++) {
    const v = pick(version(), version(), version());
    const plain = semver.satisfies(v, r) ? 1 : 0;
    const incl = semver.satisfies(v, r, {includePrerelease: true}) ? 1 : 0;
    console.log(['sat', r, v, plain, incl].join('\t'));
    written++;
  }
}
for (const bad of ['latest', '1.2.3.4', '>=>1', '^1.2.3 ||| 2', '01.2.3', '1.2.3-01', 'git+https://x']) {
  try { new semver.Range(bad); } catch (e) { console.log('invalid\t' + bad); }
}

// Real ranges from the Node.js security WG feed (shared/vulndata), each tried at and around the versions it names.
const fs = require('fs');
const path = require('path');
const feed = path.join(__dirname, '../../../../../shared/vulndata/nodejs-security-wg/vuln');
const real = new Set();
for (const sub of ['npm', 'core']) {
  for (const f of fs.readdirSync(path.join(feed, sub)).filter(n => n.endsWith('.json')).sort()) {
    const d = JSON.parse(fs.readFileSync(path.join(feed, sub, f)));
    for (const k of ['vulnerable_versions', 'patched_versions']) {
      if (typeof d[k] === 'string' && !d[k].includes('\t')) real.add(d[k]);
    }
  }
}
for (const r of [...real].sort()) {
  const named = (r.match(/\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?/g) || ['1.0.0']).slice(0, 2);
  for (const n of named) {
    const [maj, min, pat] = n.replace(/-.*/, '').split('.').map(Number);
    for (const v of [n, `${maj}.${min}.${pat + 1}`, `${maj}.${min}.${pat}-beta.1`, `${maj}.${min + 1}.0-0`]) {
      if (!semver.valid(v)) continue;
      const plain = semver.satisfies(v, r) ? 1 : 0;
      const incl = semver.satisfies(v, r, {includePrerelease: true}) ? 1 : 0;
      console.log(['sat', r, v, plain, incl].join('\t'));
    }
  }
}
