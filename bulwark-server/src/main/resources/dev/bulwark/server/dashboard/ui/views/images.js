// Every image the server knows, with its severity counts: filter by reference text (server side, `q`) and by
// "at least one finding at or above" a severity (server side, `severity`); sort by any column (here).
import { h, clear, whenEl, shortDigest, hashParams, replaceHashParams, debounce, field, select, plural } from '../dom.js';
import { get, items } from '../api.js';
import { SEVERITIES, SEVERITY_OPTIONS, counts, total, label, cls } from '../severity.js';
import { miniBar } from '../charts.js';

const SERIES = SEVERITIES.map((s) => ({ key: s, label: label(s), cls: cls(s) }));

const COLUMNS = [
  { key: 'reference', label: 'Image', type: 'text' },
  ...SEVERITIES.map((s) => ({ key: s, label: label(s), type: 'num', cls: cls(s) })),
  { key: 'total', label: 'Total', type: 'num' },
  { key: 'lastScanAt', label: 'Last scan', type: 'text' },
];

export async function imagesView(ctx) {
  const p = hashParams();
  const state = {
    q: p.get('q') ?? '',
    severity: SEVERITIES.includes(p.get('severity')) ? p.get('severity') : '',
    sort: [...COLUMNS.map((c) => c.key), 'risk'].includes(p.get('sort')) ? p.get('sort') : 'risk',
    dir: p.get('dir') === 'asc' ? 'asc' : 'desc',
  };
  let rows = [];
  let seq = 0;

  const q = h('input', { type: 'search', value: state.q, placeholder: 'e.g. bookworm or sha256:…', 'data-filter': 'q' });
  const sev = select(SEVERITY_OPTIONS, state.severity, { 'data-filter': 'severity' });
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const thead = h('thead');
  const table = h('table', { class: 'data images', 'data-table': 'images' }, h('caption', { class: 'sr-only' }, 'Images and their findings by severity'), thead, tbody);
  const list = h('section', { 'data-list': 'images', 'data-state': 'loading' }, status, h('div', { class: 'scroll' }, table));

  ctx.main.append(
    h('h1', null, 'Images'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      field('Reference contains', q),
      field('Findings', sev)),
    list,
  );

  function save() {
    replaceHashParams({ q: state.q, severity: state.severity, sort: state.sort === 'risk' ? '' : state.sort, dir: state.dir === 'desc' ? '' : state.dir });
  }

  async function load() {
    const mine = ++seq;
    list.dataset.state = 'loading';
    const body = await get('images', { q: state.q, severity: state.severity });
    if (mine !== seq || !ctx.live()) return;
    rows = items(body).map((it) => ({ ...it, c: counts(it.counts), t: total(it.counts) }));
    draw();
    list.dataset.q = state.q;
    list.dataset.severity = state.severity;
    list.dataset.state = 'ready';
  }

  function draw() {
    clear(thead).append(h('tr', null, COLUMNS.map((c) => header(c)), h('th', { scope: 'col' }, 'Findings')));
    const sorted = rows.slice().sort(comparator(state.sort, state.dir));
    clear(tbody).append(...sorted.map(row));
    const filtered = state.q || state.severity;
    status.textContent = rows.length
      ? `${plural(rows.length, 'image')}${filtered ? ' match the filter' : ''}.`
      : filtered ? 'No image matches the filter.' : 'No images yet: submit a scan (POST /api/v1/scans) and it shows up here.';
  }

  function header(c) {
    const active = state.sort === c.key;
    const aria = active ? (state.dir === 'asc' ? 'ascending' : 'descending') : null;
    return h('th', { scope: 'col', class: [c.type === 'num' && 'num', c.cls], 'aria-sort': aria },
      h('button', {
        type: 'button', class: 'sort', 'data-sort': c.key,
        onclick: () => {
          if (state.sort === c.key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
          else {
            state.sort = c.key;
            state.dir = c.type === 'num' ? 'desc' : 'asc';
          }
          save();
          draw();
        },
      }, c.label, h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : '')));
  }

  function row(it) {
    const href = '#/images/' + encodeURIComponent(String(it.id));
    return h('tr', { dataset: { id: it.id } },
      h('th', { scope: 'row', class: 'ref' },
        h('a', { href, 'data-ref': '' }, String(it.reference ?? it.id)),
        h('div', { class: 'sub' }, shortDigest(it.digest))),
      SEVERITIES.map((s) => h('td', { class: ['num', 'count', it.c[s] ? cls(s) : 'zero'], dataset: { severity: s } }, String(it.c[s]))),
      h('td', { class: 'num', 'data-total': '' }, String(it.t)),
      h('td', { class: 'nowrap' }, whenEl(it.lastScanAt)),
      h('td', null, it.t ? miniBar(it.c, SERIES, { label: SEVERITIES.filter((s) => it.c[s]).map((s) => `${it.c[s]} ${label(s)}`).join(', ') }) : h('span', { class: 'muted' }, 'none')),
    );
  }

  const reload = () => load().catch(ctx.fail);
  const reloadSoon = debounce(reload, 250);
  q.addEventListener('input', () => {
    state.q = q.value.trim();
    save();
    reloadSoon();
  });
  sev.addEventListener('change', () => {
    state.severity = sev.value;
    save();
    reload();
  });
  await load();
}

function comparator(key, dir) {
  const sign = dir === 'asc' ? 1 : -1;
  const byRef = (a, b) => String(a.reference ?? '').localeCompare(String(b.reference ?? ''));
  return (a, b) => {
    let d;
    if (key === 'risk') {
      // Worst first: most criticals, then most highs, and so on.
      d = 0;
      for (const s of SEVERITIES) if ((d = a.c[s] - b.c[s])) break;
    } else if (key === 'reference') d = byRef(a, b);
    else if (key === 'lastScanAt') d = String(a.lastScanAt ?? '').localeCompare(String(b.lastScanAt ?? ''));
    else if (key === 'total') d = a.t - b.t;
    else d = a.c[key] - b.c[key];
    return d * sign || byRef(a, b);
  };
}
