// The policy decision log (Docker authorization plugin and Kubernetes admission webhook): newest first, filtered by
// decision on the server and by text here.
import { h, clear, whenEl, hashParams, replaceHashParams, debounce, field, select, plural } from '../dom.js';
import { get, items } from '../api.js';

const DECISIONS = [['', 'Allow and deny'], ['allow', 'Allowed only'], ['deny', 'Denied only']];
const LIMITS = [['100', '100'], ['500', '500'], ['1000', '1,000']];

export async function decisionsView(ctx) {
  const p = hashParams();
  const state = {
    decision: ['allow', 'deny'].includes(p.get('decision')) ? p.get('decision') : '',
    limit: LIMITS.some(([l]) => l === p.get('limit')) ? p.get('limit') : '100',
    q: p.get('q') ?? '',
  };
  const dec = select(DECISIONS, state.decision, { 'data-filter': 'decision' });
  const lim = select(LIMITS, state.limit, { 'data-filter': 'limit' });
  const q = h('input', { type: 'search', value: state.q, placeholder: 'user, action, image, rule…', 'data-filter': 'q' });
  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const list = h('section', { 'data-list': 'decisions', 'data-state': 'loading' }, status,
    h('div', { class: 'scroll' },
      h('table', { class: 'data decisions', 'data-table': 'decisions' },
        h('thead', null, h('tr', null, ['Time', 'Decision', 'Source', 'User', 'Action', 'Image', 'Rule', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
        tbody)));
  ctx.main.append(
    h('h1', null, 'Policy decisions'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      field('Decision', dec), field('Newest', lim), field('Text', q)),
    list,
  );
  let rows = [];
  let seq = 0;

  function save() {
    replaceHashParams({ decision: state.decision, limit: state.limit === '100' ? '' : state.limit, q: state.q });
  }

  async function load() {
    const mine = ++seq;
    list.dataset.state = 'loading';
    const body = await get('decisions', { limit: state.limit, decision: state.decision });
    if (mine !== seq || !ctx.live()) return;
    rows = items(body).slice().sort((a, b) => String(b.at).localeCompare(String(a.at)));
    draw();
    list.dataset.decision = state.decision;
    list.dataset.state = 'ready';
  }

  function draw() {
    const needle = state.q.toLowerCase();
    const shown = needle
      ? rows.filter((d) => [d.user, d.action, d.image, d.rule, d.message, d.source].some((v) => v != null && String(v).toLowerCase().includes(needle)))
      : rows;
    clear(tbody).append(...shown.map(row));
    const allow = shown.filter((d) => String(d.decision).toLowerCase() === 'allow').length;
    status.textContent = rows.length
      ? `${plural(shown.length, 'decision')} shown: ${allow} allowed, ${shown.length - allow} denied.`
      : 'No decisions recorded' + (state.decision ? ' with this filter.' : ' yet.');
    list.dataset.shown = shown.length;
  }

  const reload = () => load().catch(ctx.fail);
  dec.addEventListener('change', () => { state.decision = dec.value; save(); reload(); });
  lim.addEventListener('change', () => { state.limit = lim.value; save(); reload(); });
  const drawSoon = debounce(() => { save(); draw(); }, 150);
  q.addEventListener('input', () => { state.q = q.value.trim(); drawSoon(); });
  await load();
}

function row(d) {
  const deny = String(d.decision).toLowerCase() !== 'allow';
  return h('tr', { dataset: { decision: deny ? 'deny' : 'allow' } },
    h('td', { class: 'nowrap' }, whenEl(d.at, true)),
    h('td', null, h('span', { class: ['badge', deny ? 'dec-deny' : 'dec-allow'] }, deny ? 'Deny' : 'Allow')),
    h('td', null, String(d.source ?? '')),
    h('td', null, String(d.user ?? '')),
    h('td', null, h('code', null, String(d.action ?? ''))),
    h('td', { class: 'path' }, d.image ? h('code', null, String(d.image)) : h('span', { class: 'muted' }, '—')),
    h('td', null, d.rule ? h('code', null, String(d.rule)) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'msg' }, String(d.message ?? '')),
  );
}
