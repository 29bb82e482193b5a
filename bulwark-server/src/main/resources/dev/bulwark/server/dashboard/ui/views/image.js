// One image: its counts, findings by scan over time, what each scan found new or fixed, and the findings themselves
// with the fixed version, the layer and the path, filtered here by severity, fixability and text.
import { h, clear, when, whenEl, shortDigest, hashParams, replaceHashParams, debounce, field, select, plural } from '../dom.js';
import { get, items } from '../api.js';
import { SEVERITIES, SEVERITY_OPTIONS, counts, total, label, cls, badge, rank, atLeast, norm } from '../severity.js';
import { stackedColumns, dataTable, fmt } from '../charts.js';

const MAX_ROWS = 1000;
const SERIES_ORDER = SEVERITIES; // bottom to top: the worst at the base, where it is easiest to compare

export async function imageView(ctx, id) {
  const enc = encodeURIComponent(id);
  const [img, fnd, chg] = await Promise.all([
    get(`images/${enc}`),
    get(`images/${enc}/findings`),
    get(`images/${enc}/changes`).catch((e) => ({ error: e })),
  ]);
  if (!ctx.live()) return;
  const c = counts(img.counts);
  const findings = items(fnd);

  ctx.main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/images' }, 'Images'), ' / '),
    h('h1', { class: 'ref', 'data-ref': '' }, String(img.reference ?? id)),
    h('dl', { class: 'facts' },
      h('div', null, h('dt', null, 'Digest'), h('dd', null, shortDigest(img.digest))),
      h('div', null, h('dt', null, 'Last scan'), h('dd', null, whenEl(img.lastScanAt))),
      h('div', null, h('dt', null, 'Packages'), h('dd', null, img.packages == null ? '—' : fmt(img.packages))),
      h('div', null, h('dt', null, 'Findings'), h('dd', { class: 'sev-counts', 'data-counts': '' },
        total(c) === 0 ? 'none' : SEVERITIES.filter((s) => c[s]).map((s) => h('span', { class: ['count-pill', cls(s)], dataset: { severity: s, value: c[s] } }, `${c[s]} ${label(s)}`))))),
  );

  const scans = (Array.isArray(img.scans) ? img.scans : []).slice().sort((a, b) => String(a.at).localeCompare(String(b.at)));
  if (scans.length) {
    const cats = scans.map((s) => String(s.id));
    const at = new Map(scans.map((s) => [String(s.id), s.at]));
    // Scans minutes apart (a re-match right after a scan) would get the same label: then show the seconds too.
    const short = (k) => when(at.get(k)).slice(5, 16);
    const clash = new Set(cats.map(short)).size < cats.length;
    const scanLabel = clash ? (k) => when(at.get(k), true).slice(5, 19) : short;
    const sc = scans.map((s) => counts(s.counts));
    ctx.main.append(
      h('section', { class: 'panel', 'data-chart': 'scans' },
        h('h2', null, 'Findings by scan'),
        stackedColumns({
          title: `Findings of ${img.reference ?? id} at each scan, stacked by severity`,
          categories: cats,
          categoryLabel: scanLabel,
          series: SERIES_ORDER.map((s) => ({ key: s, label: label(s), cls: cls(s), values: sc.map((x) => x[s]) })),
          yTitle: 'findings',
          height: 220,
        }),
        dataTable('Findings by scan as a table', ['Scan', ...SEVERITIES.map(label)], scans.map((s, i) => [when(s.at, true), ...SEVERITIES.map((k) => fmt(sc[i][k]))]))),
    );
  }

  ctx.main.append(changesPanel(chg));
  findingsPanel(ctx, findings);
}

function changesPanel(chg) {
  const panel = h('section', { class: 'panel', 'data-panel': 'changes' }, h('h2', null, 'Changes per scan'));
  if (chg.error) {
    panel.append(h('p', { class: 'muted' }, `Changes could not be loaded: ${chg.error.message}`));
    return panel;
  }
  const list = items(chg).slice().sort((a, b) => String(b.at).localeCompare(String(a.at)));
  if (!list.length) {
    panel.append(h('p', { class: 'muted' }, 'Only one scan so far: nothing to compare with.'));
    return panel;
  }
  panel.append(h('ol', { class: 'changes' }, list.map((ch) => {
    const nw = Array.isArray(ch.new) ? ch.new : [];
    const fx = Array.isArray(ch.fixed) ? ch.fixed : [];
    return h('li', { dataset: { scan: ch.scanId, new: nw.length, fixed: fx.length } },
      h('details', { open: nw.length + fx.length > 0 && nw.length + fx.length <= 8 },
        h('summary', null, whenEl(ch.at, true), ' — ',
          h('span', { class: ['delta', nw.length ? 'delta-new' : 'zero'] }, `${nw.length} new`), ', ',
          h('span', { class: ['delta', fx.length ? 'delta-fixed' : 'zero'] }, `${fx.length} fixed`)),
        nw.length + fx.length === 0
          ? h('p', { class: 'muted' }, 'Same findings as the scan before.')
          : h('ul', { class: 'change-list' },
            nw.map((f) => changeItem('new', f)),
            fx.map((f) => changeItem('fixed', f)))));
  })));
  return panel;
}

function changeItem(kind, f) {
  return h('li', { class: 'change-' + kind, dataset: { kind } },
    h('span', { class: 'kind' }, kind === 'new' ? 'New' : 'Fixed'), ' ', badge(f.severity), ' ',
    h('code', null, String(f.vulnerability ?? '')), ' in ', h('code', null, `${f.package ?? ''} ${f.version ?? ''}`));
}

function findingsPanel(ctx, all) {
  const p = hashParams();
  const state = {
    severity: SEVERITIES.includes(p.get('severity')) ? p.get('severity') : '',
    fixable: p.get('fixable') === 'true',
    q: p.get('q') ?? '',
  };
  const sev = select(SEVERITY_OPTIONS, state.severity, { 'data-filter': 'severity' });
  const fix = h('input', { type: 'checkbox', checked: state.fixable, 'data-filter': 'fixable', id: 'f-fixable' });
  const q = h('input', { type: 'search', value: state.q, placeholder: 'CVE, package, path…', 'data-filter': 'q' });
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const panel = h('section', { class: 'panel', 'data-list': 'findings', 'data-state': 'loading' },
    h('h2', null, 'Findings'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      field('Severity', sev),
      h('div', { class: 'field check' }, fix, h('label', { for: 'f-fixable' }, 'Only with a fixed version')),
      field('Text', q)),
    status,
    h('div', { class: 'scroll' },
      h('table', { class: 'data findings', 'data-table': 'findings' },
        h('thead', null, h('tr', null, ['Severity', 'Vulnerability', 'Package', 'Installed', 'Fixed in', 'Type', 'Layer', 'Path'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody)));
  ctx.main.append(panel);

  const sorted = all.slice().sort((a, b) => rank(a.severity) - rank(b.severity) || String(a.vulnerability).localeCompare(String(b.vulnerability)) || String(a.package).localeCompare(String(b.package)));

  function draw() {
    const needle = state.q.toLowerCase();
    const shown = sorted.filter((f) =>
      atLeast(f.severity, state.severity)
      && (!state.fixable || (f.fixedVersion !== null && f.fixedVersion !== undefined && f.fixedVersion !== ''))
      && (!needle || [f.vulnerability, f.package, f.version, f.fixedVersion, f.path, f.title, f.layer, f.type].some((v) => v != null && String(v).toLowerCase().includes(needle))));
    clear(tbody).append(...shown.slice(0, MAX_ROWS).map(findingRow));
    const filtered = state.severity || state.fixable || state.q;
    status.textContent = !all.length
      ? 'No findings in this image.'
      : (filtered ? `${fmt(shown.length)} of ${plural(all.length, 'finding')} match the filter` : `${plural(all.length, 'finding')}`)
        + (shown.length > MAX_ROWS ? `; the first ${fmt(MAX_ROWS)} are listed, narrow the filter to see the rest.` : '.');
    panel.dataset.shown = shown.length;
    panel.dataset.state = 'ready';
    replaceHashParams({ severity: state.severity, fixable: state.fixable ? 'true' : '', q: state.q });
  }

  sev.addEventListener('change', () => { state.severity = sev.value; draw(); });
  fix.addEventListener('change', () => { state.fixable = fix.checked; draw(); });
  const drawSoon = debounce(draw, 150);
  q.addEventListener('input', () => { state.q = q.value.trim(); drawSoon(); });
  draw();
}

function findingRow(f) {
  const fixed = f.fixedVersion !== null && f.fixedVersion !== undefined && f.fixedVersion !== '';
  return h('tr', { dataset: { severity: norm(f.severity), vulnerability: f.vulnerability ?? '' } },
    h('td', null, badge(f.severity)),
    h('td', { class: 'vuln' }, h('code', null, String(f.vulnerability ?? '')), f.title ? h('div', { class: 'sub' }, String(f.title)) : null),
    h('td', null, h('code', null, String(f.package ?? ''))),
    h('td', null, h('code', null, String(f.version ?? ''))),
    h('td', { 'data-col': 'fixed' }, fixed ? h('code', { class: 'fixed' }, String(f.fixedVersion)) : h('span', { class: 'muted' }, 'no fix yet')),
    h('td', null, String(f.type ?? '')),
    h('td', { 'data-col': 'layer' }, shortDigest(f.layer)),
    h('td', { class: 'path', 'data-col': 'path' }, f.path ? h('code', null, String(f.path)) : h('span', { class: 'muted' }, '—')),
  );
}
