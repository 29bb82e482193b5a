// Open findings over all images, per day, stacked by severity.
import { h, clear, hashParams, replaceHashParams, field, select } from '../dom.js';
import { get, items } from '../api.js';
import { SEVERITIES, counts, label, cls, total } from '../severity.js';
import { stackedColumns, dataTable, fmt } from '../charts.js';

const DAYS = [['7', 'Last 7 days'], ['14', 'Last 14 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days']];

export async function trendsView(ctx) {
  const p = hashParams();
  let days = DAYS.some(([d]) => d === p.get('days')) ? p.get('days') : '30';
  const pick = select(DAYS, days, { 'data-filter': 'days' });
  const body = h('section', { class: 'panel', 'data-chart': 'trends', 'data-state': 'loading' });
  ctx.main.append(
    h('h1', null, 'Trends'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() }, field('Period', pick)),
    body,
  );
  let seq = 0;

  async function load() {
    const mine = ++seq;
    body.dataset.state = 'loading';
    const data = await get('trends', { days });
    if (mine !== seq || !ctx.live()) return;
    const list = items(data).slice().sort((a, b) => String(a.day).localeCompare(String(b.day)));
    const cs = list.map((d) => counts(d.counts));
    const latest = cs.length ? cs[cs.length - 1] : counts({});
    clear(body).append(
      h('h2', null, 'Open findings per day, all images'),
      h('p', { class: 'lead', 'data-latest': total(latest) },
        list.length ? `${fmt(total(latest))} open on ${list[list.length - 1].day}` : 'No data for this period yet.',
        list.length && total(latest)
          ? [': ', SEVERITIES.filter((s) => latest[s]).map((s) => h('span', { class: ['count-pill', cls(s)] }, `${fmt(latest[s])} ${label(s)}`))]
          : null),
      stackedColumns({
        title: `Open findings per day over the last ${days} days, stacked by severity`,
        categories: list.map((d) => String(d.day)),
        categoryLabel: (d) => String(d).slice(5),
        series: SEVERITIES.map((s) => ({ key: s, label: label(s), cls: cls(s), values: cs.map((c) => c[s]) })),
        yTitle: 'open findings',
        xTitle: 'day (UTC)',
        height: 320,
      }),
      dataTable('The numbers as a table', ['Day', ...SEVERITIES.map(label), 'Total'], list.map((d, i) => [String(d.day), ...SEVERITIES.map((s) => fmt(cs[i][s])), fmt(total(cs[i]))])),
    );
    body.dataset.days = days;
    body.dataset.state = 'ready';
  }

  pick.addEventListener('change', () => {
    days = pick.value;
    replaceHashParams({ days: days === '30' ? '' : days });
    load().catch(ctx.fail);
  });
  await load();
}
