// CIS audit runs: the list, and for one run its results per benchmark section (bars) and each result with the
// evidence and the exact fix, filtered by section (click a bar), status and text.
import { h, clear, whenEl, hashParams, replaceHashParams, debounce, field, select, plural } from '../dom.js';
import { get, items } from '../api.js';
import { stackedRows, dataTable, fmt } from '../charts.js';

export const STATUSES = ['fail', 'warn', 'error', 'manual', 'info', 'pass'];
const STATUS_LABEL = { fail: 'Fail', warn: 'Warn', error: 'Error', manual: 'Manual', info: 'Info', pass: 'Pass' };
const SERIES = STATUSES.map((k) => ({ key: k, label: STATUS_LABEL[k], short: k, cls: 'st-' + k }));

function statusOf(v) {
  const k = String(v ?? '').toLowerCase();
  return STATUSES.includes(k) ? k : 'error';
}

function num(v) {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function sectionValues(sec) {
  return Object.fromEntries(STATUSES.map((k) => [k, num(sec[k])]));
}

function statusBadge(v) {
  const k = statusOf(v);
  return h('span', { class: ['badge', 'st-' + k], dataset: { status: k } }, STATUS_LABEL[k]);
}

/** Sections sort as numbers where they are ("2" before "10", "5.4" after "5.3"). */
function bySection(a, b) {
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

export async function auditsView(ctx) {
  const body = await get('audits');
  if (!ctx.live()) return;
  const list = items(body).slice().sort((a, b) => String(b.at).localeCompare(String(a.at)));
  ctx.main.append(h('h1', null, 'Audits'));
  if (!list.length) {
    ctx.main.append(h('p', { class: 'status' }, 'No audit results yet: audits of hosts, Dockerfiles, Compose files and Kubernetes manifests show up here.'));
    return;
  }
  ctx.main.append(
    h('section', { 'data-list': 'audits', 'data-state': 'ready' },
      h('p', { class: 'status' }, `${plural(list.length, 'audit')}, newest first.`),
      h('div', { class: 'scroll' },
        h('table', { class: 'data audits', 'data-table': 'audits' },
          h('thead', null, h('tr', null, ['Target', 'When', 'Score', 'Results'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, list.map((a) => {
            const tot = Object.fromEntries(STATUSES.map((k) => [k, (a.sections ?? []).reduce((x, s) => x + num(s[k]), 0)]));
            return h('tr', { dataset: { id: a.id } },
              h('th', { scope: 'row', class: 'ref' }, h('a', { href: '#/audits/' + encodeURIComponent(String(a.id)) }, String(a.target ?? a.id))),
              h('td', { class: 'nowrap' }, whenEl(a.at)),
              h('td', { class: 'num' }, a.score == null ? '—' : String(a.score)),
              h('td', null, STATUSES.filter((k) => tot[k]).map((k) => h('span', { class: ['count-pill', 'st-' + k] }, `${fmt(tot[k])} ${k}`))));
          }))))),
  );
}

export async function auditView(ctx, id) {
  const a = await get('audits/' + encodeURIComponent(id));
  if (!ctx.live()) return;
  const sections = (Array.isArray(a.sections) ? a.sections : []).slice().sort((x, y) => bySection(x.section, y.section));
  const results = Array.isArray(a.results) ? a.results : [];
  const p = hashParams();
  const state = {
    section: p.get('section') ?? '',
    status: STATUSES.includes(p.get('status')) ? p.get('status') : '',
    q: p.get('q') ?? '',
  };

  ctx.main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/audits' }, 'Audits'), ' / '),
    h('h1', { class: 'ref' }, String(a.target ?? id)),
    h('dl', { class: 'facts' },
      h('div', null, h('dt', null, 'When'), h('dd', null, whenEl(a.at))),
      h('div', null, h('dt', null, 'Score'), h('dd', null, a.score == null ? '—' : String(a.score))),
      h('div', null, h('dt', null, 'Results'), h('dd', null, fmt(results.length)))),
  );

  const chartBox = h('div');
  const chartPanel = h('section', { class: 'panel', 'data-chart': 'sections' },
    h('h2', null, 'Results by CIS section'),
    h('p', { class: 'hint' }, 'Select a section to list its results.'),
    chartBox,
    dataTable('Results by section as a table', ['Section', ...SERIES.map((s) => s.label)], sections.map((s) => [`${s.section} ${s.title ?? ''}`, ...STATUSES.map((k) => fmt(num(s[k])))])));
  ctx.main.append(chartPanel);

  const secSel = select([['', 'All sections'], ...sections.map((s) => [String(s.section), `${s.section} ${s.title ?? ''}`])], state.section, { 'data-filter': 'section' });
  const stSel = select([['', 'Any status'], ...STATUSES.map((k) => [k, STATUS_LABEL[k]])], state.status, { 'data-filter': 'status' });
  const q = h('input', { type: 'search', value: state.q, placeholder: 'check id, title, evidence…', 'data-filter': 'q' });
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const panel = h('section', { class: 'panel', 'data-list': 'results', 'data-state': 'loading' },
    h('h2', null, 'Results'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() }, field('Section', secSel), field('Status', stSel), field('Text', q)),
    status,
    h('div', { class: 'scroll' },
      h('table', { class: 'data results', 'data-table': 'results' },
        h('thead', null, h('tr', null, ['Status', 'Check', 'Section', 'Level', 'Evidence', 'Remediation'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody)));
  ctx.main.append(panel);

  const order = (r) => STATUSES.indexOf(statusOf(r.status));
  const sorted = results.slice().sort((x, y) => order(x) - order(y) || bySection(x.id, y.id));

  function inSection(r, sec) {
    // A result belongs to section "5" whether it says "5" or "5.4".
    const s = String(r.section ?? '');
    return !sec || s === sec || s.startsWith(sec + '.');
  }

  function drawChart() {
    clear(chartBox).append(stackedRows({
      title: 'Audit results per CIS section, stacked by status',
      rows: sections.map((s) => ({ key: String(s.section), label: `${s.section}  ${s.title ?? ''}`, values: sectionValues(s) })),
      series: SERIES,
      selected: state.section,
      onSelect: (r) => {
        state.section = state.section === r.key ? '' : r.key;
        secSel.value = state.section;
        update();
        // The chart was drawn anew: keep keyboard users on the row they chose.
        chartBox.querySelector(`g.row[data-row="${CSS.escape(r.key)}"]`)?.focus();
      },
    }));
  }

  function draw() {
    const needle = state.q.toLowerCase();
    const shown = sorted.filter((r) => inSection(r, state.section)
      && (!state.status || statusOf(r.status) === state.status)
      && (!needle || [r.id, r.title, r.evidence, r.remediation, r.section].some((v) => v != null && String(v).toLowerCase().includes(needle))));
    clear(tbody).append(...shown.map((r) => h('tr', { dataset: { status: statusOf(r.status), section: r.section ?? '' } },
      h('td', null, statusBadge(r.status)),
      h('td', { class: 'vuln' }, h('code', null, String(r.id ?? '')), h('div', { class: 'sub' }, String(r.title ?? ''))),
      h('td', null, String(r.section ?? '')),
      h('td', { class: 'num' }, r.level == null ? '—' : String(r.level)),
      h('td', { class: 'evidence' }, r.evidence ? h('code', { class: 'pre' }, String(r.evidence)) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'remediation' }, r.remediation ? h('code', { class: 'pre' }, String(r.remediation)) : h('span', { class: 'muted' }, '—')))));
    status.textContent = results.length
      ? `${fmt(shown.length)} of ${plural(results.length, 'result')} shown${state.section ? ` (section ${state.section})` : ''}.`
      : 'This audit has no results.';
    panel.dataset.shown = shown.length;
    panel.dataset.section = state.section;
    panel.dataset.state = 'ready';
  }

  function update() {
    replaceHashParams({ section: state.section, status: state.status, q: state.q });
    drawChart();
    draw();
  }

  secSel.addEventListener('change', () => { state.section = secSel.value; update(); });
  stSel.addEventListener('change', () => { state.status = stSel.value; update(); });
  const drawSoon = debounce(update, 150);
  q.addEventListener('input', () => { state.q = q.value.trim(); drawSoon(); });
  drawChart();
  draw();
}
