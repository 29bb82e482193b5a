// Browser tests of the dashboard: headless Debian chromium driven by playwright-core, against a running
// `bulwark serve` that holds real data. Every number the page shows is compared with what the API answers.
//
// Environment: BULWARK_URL (the server's base URL, required), BULWARK_TOKEN (when the server wants one: the test then
// logs in through the page's token form), BULWARK_SHOTS (screenshot directory), BULWARK_CHROMIUM,
// BULWARK_PLAYWRIGHT_DIR (node_modules holding playwright-core; scripts/browser.sh prints both),
// BULWARK_XSS (a hostile string the caller put into an image reference: it must show as text),
// BULWARK_REQUIRE (comma list of what must be non-empty: images,findings,fixable,changes,trends,audits,decisions).
// Prints one "ok"/"not ok" line per check and "N passed, M failed"; exits 1 when a check failed.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const env = process.env;
const BASE = new URL(env.BULWARK_URL ?? die('BULWARK_URL is not set'));
const TOKEN = env.BULWARK_TOKEN ?? '';
const SHOTS = env.BULWARK_SHOTS ?? path.resolve('dashboard-shots');
const CHROMIUM = env.BULWARK_CHROMIUM ?? '/usr/bin/chromium';
const PW_DIR = env.BULWARK_PLAYWRIGHT_DIR ?? die('BULWARK_PLAYWRIGHT_DIR is not set (scripts/browser.sh prints it)');
const XSS = env.BULWARK_XSS ?? '';
const REQUIRE = new Set((env.BULWARK_REQUIRE ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const SEV = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
const STATUSES = ['fail', 'warn', 'error', 'manual', 'info', 'pass'];
const WAIT = 20000;

function die(msg) {
  console.error('dashboard.spec: ' + msg);
  process.exit(2);
}

if (!fs.existsSync(CHROMIUM)) die(`chromium not found at ${CHROMIUM} (scripts/browser.sh installs it)`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(PW_DIR, 'noop.js'))('playwright-core'));
} catch (e) {
  die(`playwright-core not found under ${PW_DIR} (scripts/browser.sh installs it): ${e.message}`);
}
fs.mkdirSync(SHOTS, { recursive: true });

// ------------------------------------------------------------------ the API, as the page sees it

async function api(p, params = {}) {
  const u = new URL('api/v1/' + p, BASE);
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) u.searchParams.set(k, String(v));
  const headers = { Accept: 'application/json' };
  if (TOKEN) headers.Authorization = 'Bearer ' + TOKEN;
  const res = await fetch(u, { headers });
  if (!res.ok) throw new Error(`GET ${u.pathname}${u.search} -> ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}

const counts = (c) => Object.fromEntries(SEV.map((s) => [s, Number(c?.[s] ?? 0)]));
const total = (c) => SEV.reduce((a, s) => a + Number(c?.[s] ?? 0), 0);
const rank = (s) => (SEV.includes(String(s).toUpperCase()) ? SEV.indexOf(String(s).toUpperCase()) : 4);

// ------------------------------------------------------------------ a small runner

const results = [];
function eq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) return;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    // Long lists: name the first place they differ rather than two walls of JSON.
    const i = expected.findIndex((x, j) => JSON.stringify(x) !== JSON.stringify(actual[j]));
    const at = i < 0 ? expected.length : i;
    throw new Error(`${what}: ${expected.length} expected, ${actual.length} shown; first difference at ${at}: `
      + `expected ${JSON.stringify(expected[at])} but the page shows ${JSON.stringify(actual[at])}`);
  }
  throw new Error(`${what}: expected ${e.slice(0, 400)} but the page shows ${a.slice(0, 400)}`);
}
function ok(cond, what) {
  if (!cond) throw new Error(what);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  chromiumSandbox: false,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', '--no-first-run', '--disable-dev-shm-usage', '--disable-gpu'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
const foreign = [];
const consoleErrors = [];
const badResponses = [];
const dialogs = [];
await context.route('**/*', (route) => {
  const u = new URL(route.request().url());
  if (u.origin === BASE.origin) return route.continue();
  foreign.push(u.href);
  return route.abort();
});
const page = await context.newPage();
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push('uncaught: ' + e.message));
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
page.on('response', (r) => { if (r.status() >= 400) badResponses.push(`${r.status()} ${r.url()}`); });

let shotNo = 0;
async function shot(name) {
  shotNo++;
  await page.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok ${results.length} - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`not ok ${results.length} - ${name}\n  # ${String(e.message ?? e).replace(/\n/g, '\n  # ')}`);
    await shot('FAILED-' + name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)).catch(() => {});
  }
}

async function go(hash) {
  await page.goto(new URL('#' + hash, BASE).href);
  // A hash-only change does not reload: wait for the route that was asked for.
  await page.waitForFunction((h) => location.hash === '#' + h && document.querySelector('main')?.dataset.state !== 'loading', hash, { timeout: WAIT });
  const state = await page.$eval('main', (m) => m.dataset.state);
  if (state !== 'ready') throw new Error(`page ${hash} did not load: ${await page.$eval('#banner', (b) => b.textContent).catch(() => '?')}`);
}

async function waitList(sel, extra = {}) {
  await page.waitForFunction(([s, ex]) => {
    const el = document.querySelector(s);
    return el && el.dataset.state === 'ready' && Object.entries(ex).every(([k, v]) => (el.dataset[k] ?? '') === v);
  }, [sel, extra], { timeout: WAIT });
}

/** The rows of the images table: id, shown reference, counts per severity, and the mini bar's marks. */
function imageRows() {
  return page.$$eval('table[data-table=images] tbody tr', (trs) => trs.map((tr) => ({
    id: tr.dataset.id,
    ref: tr.querySelector('a[data-ref]').textContent,
    counts: Object.fromEntries([...tr.querySelectorAll('td[data-severity]')].map((td) => [td.dataset.severity, Number(td.textContent)])),
    total: Number(tr.querySelector('td[data-total]').textContent),
    bar: [...tr.querySelectorAll('svg.mini rect.mark')].map((r) => [r.dataset.series, Number(r.dataset.value)]),
  })));
}

/** Sums of data-value per category and series of the marks under a chart. */
function marks(sel) {
  return page.$$eval(`${sel} rect.mark`, (rs) => rs.map((r) => [r.dataset.category ?? '', r.dataset.series, Number(r.dataset.value)]));
}

// ------------------------------------------------------------------ the checks

if (TOKEN) {
  await check('without a token the page says a token is needed; with it the data loads', async () => {
    await page.goto(new URL('#/images', BASE).href);
    await page.waitForFunction(() => document.querySelector('main')?.dataset.state === 'error', null, { timeout: WAIT });
    const banner = await page.textContent('#banner');
    ok(/token/i.test(banner), `the banner does not mention the token: "${banner}"`);
    await shot('login-needed');
    await page.fill('#token', TOKEN);
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => document.querySelector('main')?.dataset.state === 'ready', null, { timeout: WAIT });
    ok(await page.isHidden('#banner'), 'the error banner is still shown after logging in');
    // 401s of the first attempt were expected.
    badResponses.length = 0;
    consoleErrors.length = 0;
  });
}

const apiImages = (await api('images')).items;
// The image with the most findings is the one the drill-down checks open.
const worst = apiImages.slice().sort((a, b) => total(b.counts) - total(a.counts))[0] ?? null;

await check('images: every image is a row with its severity counts and a bar of the same numbers', async () => {
  await go('/images');
  await waitList('[data-list=images]');
  const rows = await imageRows();
  if (REQUIRE.has('images')) ok(apiImages.length >= 2, `the API lists ${apiImages.length} images; the test needs at least 2`);
  eq(rows.length, apiImages.length, 'number of image rows');
  for (const it of apiImages) {
    const r = rows.find((x) => x.id === String(it.id));
    ok(r, `image ${it.id} (${it.reference}) has no row`);
    eq(r.ref, it.reference, `reference of image ${it.id}`);
    eq(r.counts, counts(it.counts), `counts of ${it.reference}`);
    eq(r.total, total(it.counts), `total of ${it.reference}`);
    eq(r.bar, SEV.filter((s) => counts(it.counts)[s] > 0).map((s) => [s, counts(it.counts)[s]]), `bar marks of ${it.reference}`);
  }
  if (REQUIRE.has('findings')) ok(worst && total(worst.counts) > 0, 'no image has a finding');
  // Default order: worst first (most criticals, then highs...).
  const keys = rows.map((r) => SEV.map((s) => r.counts[s]));
  for (let i = 1; i < keys.length; i++) {
    const d = keys[i - 1].map((v, j) => v - keys[i][j]).find((v) => v !== 0) ?? 0;
    ok(d >= 0, `rows ${i} and ${i + 1} are not worst first: ${JSON.stringify(keys[i - 1])} then ${JSON.stringify(keys[i])}`);
  }
  await shot('images');
});

await check('images: sorting by a column header orders the rows both ways', async () => {
  await go('/images');
  await waitList('[data-list=images]');
  for (const col of ['HIGH', 'total']) {
    const read = async () => (await imageRows()).map((r) => (col === 'total' ? r.total : r.counts[col]));
    await page.click(`button[data-sort="${col}"]`);
    const desc = await read();
    ok(desc.every((v, i) => i === 0 || desc[i - 1] >= v), `${col} after one click is not descending: ${desc}`);
    eq(await page.getAttribute(`th:has(button[data-sort="${col}"])`, 'aria-sort'), 'descending', `aria-sort of ${col}`);
    await page.click(`button[data-sort="${col}"]`);
    const asc = await read();
    ok(asc.every((v, i) => i === 0 || asc[i - 1] <= v), `${col} after two clicks is not ascending: ${asc}`);
  }
  await page.click('button[data-sort="reference"]');
  const refs = (await imageRows()).map((r) => r.ref);
  eq(refs, refs.slice().sort((a, b) => a.localeCompare(b)), 'references sorted A to Z');
});

await check('images: the text filter shows what the server answers for it', async () => {
  await go('/images');
  await waitList('[data-list=images]');
  // A part of one reference that not every reference has, so the filter must drop rows.
  const parts = [...new Set(apiImages.flatMap((i) => String(i.reference).split(/[/:@]+/)).filter((p) => p.length >= 3))];
  const q = parts.find((p) => { const n = apiImages.filter((i) => String(i.reference).includes(p)).length; return n > 0 && n < apiImages.length; });
  ok(q || apiImages.length < 2, 'no part of a reference singles out some images: the test data are too uniform');
  if (!q) return;
  await page.fill('input[data-filter=q]', q);
  await waitList('[data-list=images]', { q });
  const want = (await api('images', { q })).items.map((i) => String(i.id)).sort();
  const rows = await imageRows();
  eq(rows.map((r) => r.id).sort(), want, `rows for q=${q}`);
  ok(rows.length > 0 && rows.length < apiImages.length, `q=${q} kept ${rows.length} of ${apiImages.length} rows`);
  for (const r of rows) ok(r.ref.toLowerCase().includes(q.toLowerCase()), `row ${r.ref} does not contain ${q}`);
  ok((await page.evaluate(() => location.hash)).includes('q='), 'the filter is not kept in the address');
  await shot('images-filter-text');
  await page.fill('input[data-filter=q]', '');
  await waitList('[data-list=images]', { q: '' });
  eq((await imageRows()).length, apiImages.length, 'rows after clearing the filter');
});

await check('images: the severity filter keeps images with a finding at or above it', async () => {
  await go('/images');
  await waitList('[data-list=images]');
  let picked = null;
  for (const s of SEV.slice(0, 4)) {
    const n = apiImages.filter((i) => SEV.slice(0, rank(s) + 1).some((x) => counts(i.counts)[x] > 0)).length;
    if (n > 0 && n < apiImages.length) { picked = s; break; }
  }
  picked ??= 'HIGH';
  await page.selectOption('select[data-filter=severity]', picked);
  await waitList('[data-list=images]', { severity: picked });
  const want = (await api('images', { severity: picked })).items.map((i) => String(i.id)).sort();
  const rows = await imageRows();
  eq(rows.map((r) => r.id).sort(), want, `rows for severity=${picked}`);
  for (const r of rows) ok(SEV.slice(0, rank(picked) + 1).some((s) => r.counts[s] > 0), `${r.ref} has nothing at or above ${picked}`);
  await shot('images-filter-severity');
});

let detail = null;
let findings = [];
await check('image page: drill-down lists every finding with fixed version, layer and path', async () => {
  ok(worst, 'no image to open');
  await go('/images');
  await waitList('[data-list=images]');
  await page.click(`tr[data-id="${cssq(worst.id)}"] a[data-ref]`);
  await page.waitForFunction(() => location.hash.startsWith('#/images/') && document.querySelector('main').dataset.state === 'ready', null, { timeout: WAIT });
  await waitList('[data-list=findings]');
  detail = await api(`images/${encodeURIComponent(worst.id)}`);
  findings = (await api(`images/${encodeURIComponent(worst.id)}/findings`)).items;
  eq(await page.textContent('h1[data-ref]'), detail.reference, 'heading');
  eq(await page.title(), `${detail.reference} — Bulwark`, 'window title');
  const pills = await page.$$eval('[data-counts] .count-pill', (ps) => ps.map((p) => [p.dataset.severity, Number(p.dataset.value)]));
  eq(pills, SEV.filter((s) => counts(detail.counts)[s] > 0).map((s) => [s, counts(detail.counts)[s]]), 'count pills');
  const rows = await findingRows();
  eq(rows.length, Math.min(findings.length, 1000), 'number of finding rows');
  const key = (f) => `${f.vulnerability}|${f.package}|${f.version}|${String(f.severity).toUpperCase()}|${f.fixedVersion ?? ''}|${f.layer ?? ''}|${f.path ?? ''}`;
  if (findings.length <= 1000) eq(rows.map(key).sort(), findings.map(key).sort(), 'findings (id, package, version, severity, fixed, layer, path)');
  if (REQUIRE.has('fixable')) ok(findings.some((f) => f.fixedVersion), 'no finding has a fixed version');
  if (REQUIRE.has('findings')) {
    ok(findings.some((f) => f.layer), 'no finding names its layer');
    ok(findings.some((f) => f.path), 'no finding names its path');
  }
  await shot('image-findings');
});

function cssq(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

function findingRows() {
  return page.$$eval('table[data-table=findings] tbody tr', (trs) => trs.map((tr) => {
    const codes = [...tr.querySelectorAll('td')].map((td) => td.querySelector('code')?.textContent ?? null);
    const fixedCell = tr.querySelector('td[data-col=fixed] code.fixed');
    const layer = tr.querySelector('td[data-col=layer] [title]');
    const pathCell = tr.querySelector('td[data-col=path] code');
    return {
      vulnerability: codes[1], package: codes[2], version: codes[3], severity: tr.dataset.severity,
      fixedVersion: fixedCell ? fixedCell.textContent : null,
      layer: layer ? layer.getAttribute('title') : (tr.querySelector('td[data-col=layer] code')?.textContent ?? null),
      path: pathCell ? pathCell.textContent : null,
      text: tr.textContent,
    };
  }));
}

await check('image page: filters by severity, fixable and text', async () => {
  ok(detail, 'the image page did not open');
  const sev = SEV.slice(0, 4).find((s) => { const n = findings.filter((f) => rank(f.severity) <= rank(s)).length; return n > 0 && n < findings.length; }) ?? 'HIGH';
  await page.selectOption('[data-list=findings] select[data-filter=severity]', sev);
  let rows = await findingRows();
  const wantSev = findings.filter((f) => rank(f.severity) <= rank(sev));
  eq(rows.length, Math.min(wantSev.length, 1000), `rows with severity ${sev} or worse`);
  for (const r of rows) ok(rank(r.severity) <= rank(sev), `a ${r.severity} row is shown under ${sev} or worse`);
  await shot('image-filter-severity');

  await page.selectOption('[data-list=findings] select[data-filter=severity]', '');
  await page.check('[data-list=findings] input[data-filter=fixable]');
  rows = await findingRows();
  const wantFix = findings.filter((f) => f.fixedVersion !== null && f.fixedVersion !== undefined && f.fixedVersion !== '');
  eq(rows.length, Math.min(wantFix.length, 1000), 'rows with a fixed version');
  for (const r of rows) ok(r.fixedVersion, `${r.vulnerability} has no fixed version but is shown as fixable`);
  await shot('image-filter-fixable');
  await page.uncheck('[data-list=findings] input[data-filter=fixable]');

  if (findings.length) {
    const needle = findings[Math.floor(findings.length / 2)].vulnerability;
    await page.fill('[data-list=findings] input[data-filter=q]', needle);
    await page.waitForFunction((n) => [...document.querySelectorAll('table[data-table=findings] tbody tr')].every((tr) => tr.textContent.toLowerCase().includes(n.toLowerCase())), needle, { timeout: WAIT });
    rows = await findingRows();
    const fields = ['vulnerability', 'package', 'version', 'fixedVersion', 'path', 'title', 'layer', 'type'];
    const want = findings.filter((f) => fields.some((k) => f[k] != null && String(f[k]).toLowerCase().includes(needle.toLowerCase())));
    eq(rows.length, Math.min(want.length, 1000), `rows matching "${needle}"`);
    ok(rows.some((r) => r.vulnerability === needle), `${needle} is not among the rows`);
    await shot('image-filter-text');
    await page.fill('[data-list=findings] input[data-filter=q]', '');
  }
});

await check('image page: the per-scan chart draws the API\'s counts of each scan', async () => {
  ok(detail, 'the image page did not open');
  const scans = Array.isArray(detail.scans) ? detail.scans : [];
  if (REQUIRE.has('changes')) ok(scans.length >= 2, `the image has ${scans.length} scans; the test needs 2`);
  if (!scans.length) return;
  const got = await marks('[data-chart=scans]');
  const want = scans.flatMap((s) => SEV.filter((x) => counts(s.counts)[x] > 0).map((x) => [String(s.id), x, counts(s.counts)[x]]));
  eq(got.slice().sort(), want.slice().sort(), 'marks (scan, severity, value)');
  const labels = await page.$$eval('[data-chart=scans] text.direct-label', (ts) => ts.map((t) => t.dataset.series));
  const present = SEV.filter((x) => scans.some((s) => counts(s.counts)[x] > 0));
  eq(labels.slice().sort(), present.slice().sort(), 'direct labels');
});

await check('image page: changes per scan list what was new and fixed', async () => {
  ok(detail, 'the image page did not open');
  const changes = (await api(`images/${encodeURIComponent(worst.id)}/changes`)).items;
  if (REQUIRE.has('changes')) ok(changes.length >= 1, 'the API lists no changes for the image');
  const got = await page.$$eval('[data-panel=changes] li[data-scan]', (ls) => ls.map((l) => [l.dataset.scan, Number(l.dataset.new), Number(l.dataset.fixed)]));
  eq(got.slice().sort(), changes.map((c) => [String(c.scanId), (c.new ?? []).length, (c.fixed ?? []).length]).sort(), 'changes (scan, new, fixed)');
  // Unfold the newest change: it lists each new and fixed finding by id.
  const newest = changes.slice().sort((a, b) => String(b.at).localeCompare(String(a.at)))[0];
  if (newest) {
    const li = `[data-panel=changes] li[data-scan="${cssq(newest.scanId)}"]`;
    if (!(await page.$eval(`${li} details`, (d) => d.open))) await page.click(`${li} summary`);
    const listed = await page.$$eval(`${li} .change-list > li`, (ls) => ls.map((l) => [l.dataset.kind, l.querySelector('code').textContent]));
    const want = [...(newest.new ?? []).map((f) => ['new', f.vulnerability]), ...(newest.fixed ?? []).map((f) => ['fixed', f.vulnerability])];
    eq(listed.slice().sort(), want.slice().sort(), 'findings listed in the newest change');
  }
  await shot('image-changes');
});

await check('trends: the chart draws the API\'s open findings per day and severity, with axis and direct labels', async () => {
  for (const days of ['30', '7']) {
    await go('/trends' + (days === '30' ? '' : '?days=' + days));
    await waitList('[data-chart=trends]', { days });
    const list = (await api('trends', { days })).items;
    if (REQUIRE.has('trends')) ok(list.some((d) => total(d.counts) > 0), `trends?days=${days} has no open finding on any day`);
    const got = await marks('[data-chart=trends]');
    const want = list.flatMap((d) => SEV.filter((s) => counts(d.counts)[s] > 0).map((s) => [String(d.day), s, counts(d.counts)[s]]));
    eq(got.slice().sort(), want.slice().sort(), `marks (day, severity, value) for ${days} days`);
    eq(await page.$$eval('[data-chart=trends] g.column', (g) => g.length), list.length, 'columns');
    const yTicks = await page.$$eval('[data-chart=trends] .y-axis text.tick', (t) => t.map((x) => x.textContent));
    ok(yTicks.length >= 2, `y axis has ${yTicks.length} labels`);
    const xTicks = await page.$$eval('[data-chart=trends] .x-axis text.tick', (t) => t.map((x) => x.textContent));
    if (list.length) ok(xTicks.length >= 1 && xTicks.includes(String(list[list.length - 1].day).slice(5)), `x axis labels ${xTicks} miss the last day`);
    const labels = await page.$$eval('[data-chart=trends] text.direct-label', (ts) => ts.map((t) => [t.dataset.series, t.textContent]));
    const last = list.length ? counts(list[list.length - 1].counts) : {};
    const present = SEV.filter((s) => list.some((d) => counts(d.counts)[s] > 0));
    eq(labels.map((l) => l[0]).sort(), present.slice().sort(), 'direct labels');
    for (const [s, text] of labels) ok(text.endsWith(' ' + last[s].toLocaleString('en-US')), `direct label "${text}" does not end with today's ${s} count ${last[s]}`);
    const boxes = await page.$$eval('[data-chart=trends] text.direct-label', (ts) => ts.map((t) => t.getBBox()).map((b) => [b.y, b.y + b.height]).sort((a, b) => a[0] - b[0]));
    for (let i = 1; i < boxes.length; i++) ok(boxes[i][0] >= boxes[i - 1][1] - 0.5, `direct labels ${i} and ${i + 1} overlap: ${JSON.stringify(boxes)}`);
    await shot('trends-' + days);
  }
  await page.selectOption('select[data-filter=days]', '14');
  await waitList('[data-chart=trends]', { days: '14' });
  eq(await page.$$eval('[data-chart=trends] g.column', (g) => g.length), (await api('trends', { days: 14 })).items.length, 'columns after picking 14 days');
});

await check('audits: results per CIS section as bars; a section and a status filter the results', async () => {
  const list = (await api('audits')).items;
  if (REQUIRE.has('audits')) ok(list.length >= 1, 'the API lists no audits');
  await go('/audits');
  if (!list.length) return;
  eq(await page.$$eval('table[data-table=audits] tbody tr', (t) => t.length), list.length, 'audit rows');
  const newest = list.slice().sort((a, b) => String(b.at).localeCompare(String(a.at)))[0];
  await page.click(`table[data-table=audits] tr[data-id="${cssq(newest.id)}"] a`);
  await page.waitForFunction(() => location.hash.startsWith('#/audits/') && document.querySelector('main').dataset.state === 'ready', null, { timeout: WAIT });
  await waitList('[data-list=results]');
  const a = await api('audits/' + encodeURIComponent(newest.id));
  const got = await marks('[data-chart=sections]');
  const want = a.sections.flatMap((s) => STATUSES.filter((k) => Number(s[k]) > 0).map((k) => [String(s.section), k, Number(s[k])]));
  eq(got.slice().sort(), want.slice().sort(), 'section bars (section, status, value)');
  eq(await page.$$eval('table[data-table=results] tbody tr', (t) => t.length), a.results.length, 'result rows');
  await shot('audit');

  const inSection = (r, sec) => String(r.section) === sec || String(r.section).startsWith(sec + '.');
  const sec = a.sections.map((s) => String(s.section)).find((s) => a.results.some((r) => inSection(r, s))) ?? String(a.sections[0]?.section);
  await page.click(`[data-chart=sections] g.row[data-row="${cssq(sec)}"]`);
  await waitList('[data-list=results]', { section: sec });
  const rows = await page.$$eval('table[data-table=results] tbody tr', (t) => t.map((tr) => [tr.dataset.section, tr.dataset.status, tr.querySelector('td.remediation').textContent]));
  const wantRows = a.results.filter((r) => inSection(r, sec));
  eq(rows.length, wantRows.length, `results of section ${sec}`);
  for (const [s] of rows) ok(s === sec || s.startsWith(sec + '.'), `a result of section ${s} is listed under ${sec}`);
  await shot('audit-section');
  await page.click(`[data-chart=sections] g.row[data-row="${cssq(sec)}"]`);
  await waitList('[data-list=results]', { section: '' });

  await page.selectOption('[data-list=results] select[data-filter=status]', 'fail');
  const fails = await page.$$eval('table[data-table=results] tbody tr', (t) => t.map((tr) => [tr.dataset.status, tr.querySelector('td.remediation').textContent]));
  const wantFails = a.results.filter((r) => String(r.status).toLowerCase() === 'fail');
  eq(fails.length, wantFails.length, 'failed results');
  for (const [st] of fails) eq(st, 'fail', 'status of a filtered row');
  const remediations = wantFails.map((r) => r.remediation || '—').sort();
  eq(fails.map((f) => f[1]).sort(), remediations, 'remediation of each failed result');
  await shot('audit-fail');
});

await check('decisions: the log, filtered to allow and to deny', async () => {
  const all = (await api('decisions', { limit: 100 })).items;
  if (REQUIRE.has('decisions')) {
    ok(all.some((d) => d.decision === 'allow') && all.some((d) => d.decision === 'deny'), 'the log needs both an allow and a deny');
  }
  await go('/decisions');
  await waitList('[data-list=decisions]', { decision: '' });
  eq(await page.$$eval('table[data-table=decisions] tbody tr', (t) => t.length), all.length, 'decision rows');
  await shot('decisions');
  for (const d of ['deny', 'allow']) {
    await page.selectOption('select[data-filter=decision]', d);
    await waitList('[data-list=decisions]', { decision: d });
    const rows = await page.$$eval('table[data-table=decisions] tbody tr', (t) => t.map((tr) => tr.dataset.decision));
    eq(rows.length, (await api('decisions', { limit: 100, decision: d })).items.length, `${d} rows`);
    ok(rows.every((r) => r === d), `a row other than ${d} is shown under ${d}`);
    if (REQUIRE.has('decisions')) ok(rows.length > 0 && rows.length < all.length, `${d} kept ${rows.length} of ${all.length}`);
    await shot('decisions-' + d);
  }
});

if (XSS) {
  await check('xss: a reference holding HTML is shown as text and runs nothing', async () => {
    const img = apiImages.find((i) => String(i.reference).includes(XSS));
    ok(img, `no image reference contains the payload ${XSS}`);
    await go('/images');
    await waitList('[data-list=images]');
    const ref = await page.textContent(`tr[data-id="${cssq(img.id)}"] a[data-ref]`);
    eq(ref, img.reference, 'reference shown');
    await go('/images/' + encodeURIComponent(img.id));
    eq(await page.textContent('h1[data-ref]'), img.reference, 'heading of the image page');
    await shot('xss');
    for (const h of ['/images', '/trends', '/audits', '/decisions']) await go(h);
    eq(await page.evaluate(() => window.__pwned ?? null), null, 'window.__pwned set by an injected handler');
    eq(await page.evaluate(() => document.querySelectorAll('img, iframe, object, embed, [onerror], [onload], [onclick]').length), 0, 'injected elements');
    eq(dialogs, [], 'dialogs opened');
  });
}

await check('layout: no page scrolls sideways on a 1366x768 screen', async () => {
  const pages = ['/images', '/trends', '/audits', '/decisions'];
  if (worst) pages.push('/images/' + encodeURIComponent(worst.id));
  for (const h of pages) {
    await go(h);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    ok(w <= 1366, `${h} is ${w} px wide`);
  }
});

await check('nothing but the server is contacted, and the page logs no error', async () => {
  eq(foreign, [], 'requests to other origins');
  eq(consoleErrors, [], 'console errors');
  eq(badResponses, [], 'failed responses');
});

await check('charts: axis ticks are round and cover the data; spread labels keep their gap and order', async () => {
  // Properties of the chart code's pure parts over many seeded random inputs, run in the page on the served module.
  const failures = await page.evaluate(async () => {
    const { niceTicks, spread } = await import(new URL('ui/charts.js', document.baseURI).href);
    let seed = 12345;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const bad = [];
    for (let i = 0; i < 2000; i++) {
      const max = i < 20 ? i : Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 6)));
      const t = niceTicks(max);
      const step = t[1] - t[0];
      const mant = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      if (t[0] !== 0 || t[t.length - 1] < max || t.length > 12 || ![1, 2, 5].some((m) => Math.abs(mant - m) < 1e-6)
          || t.some((v, j) => j && Math.abs(v - t[j - 1] - step) > 1e-6 * step)) bad.push(`niceTicks(${max}) = ${t}`);
      const n = 1 + Math.floor(rnd() * 5);
      const ys = Array.from({ length: n }, () => rnd() * 200).sort((a, b) => a - b);
      const out = spread(ys, 15, 0, 200);
      if (out.some((v, j) => j && v - out[j - 1] < 15 - 1e-9) || out[0] < -1e-9 || out[n - 1] > 200 + 1e-9) bad.push(`spread(${ys}) = ${out}`);
      if (bad.length > 5) break;
    }
    return bad;
  });
  eq(failures, [], 'property failures');
});

// Faults injected at the browser's network layer (the one place this test fakes anything): the page must say what
// went wrong in one line, and survive answers of the wrong shape.
await check('faults: a server error, a non-JSON answer and odd values are shown plainly', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  if (TOKEN) await p.addInitScript((t) => sessionStorage.setItem('bulwark.token', t), TOKEN);
  const problem = { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: "the server's database did not answer; try again" };
  await p.route('**/api/v1/trends*', (r) => r.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify(problem) }));
  await p.goto(new URL('#/trends', BASE).href);
  await p.waitForFunction(() => document.querySelector('main')?.dataset.state === 'error', null, { timeout: WAIT });
  eq((await p.textContent('#banner')).trim(), `${problem.title} — ${problem.detail}`, 'banner for a 503 problem');

  await p.route('**/api/v1/decisions*', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: '<html>proxy login</html>' }));
  await p.goto(new URL('#/decisions', BASE).href);
  await p.waitForFunction(() => document.querySelector('main')?.dataset.state === 'error', null, { timeout: WAIT });
  ok(/not JSON/.test(await p.textContent('#banner')), `banner for a non-JSON answer: ${await p.textContent('#banner')}`);

  const odd = { items: [{ id: 'x"><b>1', reference: null, digest: 'not-a-digest', lastScanAt: 'yesterday', counts: { CRITICAL: '7', HIGH: -3, MEDIUM: 'many' } }] };
  await p.route('**/api/v1/images?*', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(odd) }));
  await p.route('**/api/v1/images', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(odd) }));
  await p.goto(new URL('#/images', BASE).href);
  await p.waitForFunction(() => document.querySelector('[data-list=images]')?.dataset.state === 'ready', null, { timeout: WAIT });
  const row = await p.$eval('table[data-table=images] tbody tr', (tr) => ({
    ref: tr.querySelector('a[data-ref]').textContent,
    counts: [...tr.querySelectorAll('td[data-severity]')].map((td) => td.textContent),
    when: tr.querySelector('time').textContent,
  }));
  eq(row, { ref: 'x"><b>1', counts: ['7', '0', '0', '0', '0'], when: 'yesterday' }, 'a row of odd values');
  shotNo++;
  await p.screenshot({ path: path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-faults.png`), fullPage: true });
  eq(errors, [], 'uncaught errors');
  await ctx.close();
});

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`dashboard: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed || !results.length ? 1 : 0);
