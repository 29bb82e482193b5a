// Our own SVG charts. Every data mark is a <rect class="mark"> carrying data-series, data-category and data-value,
// with a <title> for hover; labels sit next to what they name (direct labels), so no legend is needed.
import { s, h } from './dom.js';

const FONT = 12;

/** Round numbers for an axis: 0..max in about `count` steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= raw);
  const ticks = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks.length < 2 ? [0, step] : ticks;
}

export function fmt(n) {
  return Number(n).toLocaleString('en-US');
}

/** Spreads label centres (sorted top to bottom) so none is closer than `gap` to the next, inside [lo, hi]. */
export function spread(ys, gap, lo, hi) {
  const out = ys.slice();
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i], out[i - 1] + gap);
  if (out.length && out[out.length - 1] > hi) {
    out[out.length - 1] = hi;
    for (let i = out.length - 2; i >= 0; i--) out[i] = Math.min(out[i], out[i + 1] - gap);
  }
  if (out.length && out[0] < lo) {
    const shift = lo - out[0];
    for (let i = 0; i < out.length; i++) out[i] += shift;
  }
  return out;
}

/**
 * Stacked columns: one column per category, one segment per series (first series at the bottom).
 * series: [{key, label, cls, values: number[]}]; the last column's segments are labelled directly on the right.
 */
export function stackedColumns({ categories, series, title, yTitle, xTitle, categoryLabel = String, width = 900, height = 280 }) {
  const m = { top: 14, right: 130, bottom: xTitle ? 46 : 30, left: 56 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const n = categories.length;
  const totals = categories.map((_, i) => series.reduce((a, se) => a + (se.values[i] || 0), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const ymax = ticks[ticks.length - 1];
  const y = (v) => m.top + ph - (v / ymax) * ph;
  const band = n ? pw / n : pw;
  const bw = Math.max(2, Math.min(44, band * 0.72));

  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  svg.append(s('title', null, title));

  const grid = s('g', { class: 'axis y-axis' });
  for (const t of ticks) {
    grid.append(
      s('line', { x1: m.left, x2: m.left + pw, y1: y(t), y2: y(t), class: t === 0 ? 'baseline' : 'gridline' }),
      s('text', { x: m.left - 8, y: y(t), dy: '0.35em', 'text-anchor': 'end', class: 'tick' }, fmt(t)),
    );
  }
  if (yTitle) {
    grid.append(s('text', { class: 'axis-title', transform: `translate(14 ${m.top + ph / 2}) rotate(-90)`, 'text-anchor': 'middle' }, yTitle));
  }
  svg.append(grid);

  const marks = s('g', { class: 'marks' });
  const xaxis = s('g', { class: 'axis x-axis' });
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(pw / 70))));
  categories.forEach((cat, i) => {
    const x = m.left + band * i + (band - bw) / 2;
    let acc = 0;
    const col = s('g', { class: 'column', dataset: { category: cat, total: totals[i] } });
    for (const se of series) {
      const v = se.values[i] || 0;
      if (v <= 0) continue;
      const y0 = y(acc);
      const y1 = y(acc + v);
      acc += v;
      col.append(
        s('rect', {
          class: ['mark', se.cls], x: x.toFixed(2), y: y1.toFixed(2), width: bw.toFixed(2), height: Math.max(0.5, y0 - y1).toFixed(2),
          dataset: { series: se.key, category: cat, value: v },
        }, s('title', null, `${categoryLabel(cat)} — ${se.label}: ${fmt(v)}`)),
      );
    }
    marks.append(col);
    // Counted back from the last column, so the newest one (today) always has its label.
    if ((n - 1 - i) % every === 0) {
      xaxis.append(s('text', { x: (m.left + band * i + band / 2).toFixed(2), y: m.top + ph + 18, 'text-anchor': 'middle', class: 'tick' }, categoryLabel(cat)));
    }
  });
  if (xTitle) xaxis.append(s('text', { x: m.left + pw / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis-title' }, xTitle));
  svg.append(marks, xaxis);

  if (n > 0) {
    // Direct labels beside the last column: every series that appears anywhere in the chart gets one.
    const last = n - 1;
    const xl = m.left + band * last + (band + bw) / 2;
    const wanted = [];
    let acc = 0;
    for (const se of series) {
      const v = se.values[last] || 0;
      const any = se.values.some((x) => x > 0);
      if (any) wanted.push({ se, v, y: (y(acc) + y(acc + v)) / 2 });
      acc += v;
    }
    wanted.sort((a, b) => a.y - b.y);
    const ys = spread(wanted.map((w) => w.y), FONT + 3, m.top + 6, m.top + ph);
    const g = s('g', { class: 'direct-labels' });
    wanted.forEach((w, i) => {
      g.append(
        s('line', { x1: xl + 2, x2: xl + 10, y1: w.y, y2: ys[i], class: 'leader' }),
        s('text', { x: xl + 13, y: ys[i], dy: '0.35em', class: ['direct-label', w.se.cls], dataset: { series: w.se.key } }, `${w.se.label} ${fmt(w.v)}`),
      );
    });
    svg.append(g);
  }
  if (totals.every((t) => t === 0)) {
    svg.append(s('text', { x: m.left + pw / 2, y: m.top + ph / 2, 'text-anchor': 'middle', class: 'empty-note' }, n ? 'Nothing to show: every count is zero' : 'No data yet'));
  }
  return svg;
}

/**
 * Horizontal stacked bars, one row per item: the row's label on the left, segments in the middle (numbers inside
 * when they fit), the non-zero counts spelled out on the right. onSelect(row) makes rows clickable (and keyboard
 * reachable).
 */
export function stackedRows({ rows, series, title, width = 900, rowHeight = 28, labelWidth = 300, onSelect, selected }) {
  const m = { top: 6, right: 230, left: labelWidth, bottom: 6 };
  const pw = width - m.left - m.right;
  const height = m.top + m.bottom + rowHeight * rows.length;
  const totals = rows.map((r) => series.reduce((a, se) => a + (r.values[se.key] || 0), 0));
  const max = Math.max(1, ...totals);
  const svg = s('svg', { class: 'chart rows', viewBox: `0 0 ${width} ${Math.max(height, 30)}`, role: onSelect ? 'group' : 'img', 'aria-label': title });
  svg.append(s('title', null, title));
  rows.forEach((r, i) => {
    const y = m.top + rowHeight * i;
    const bh = rowHeight - 8;
    const g = s('g', {
      class: ['row', onSelect && 'selectable', selected === r.key && 'selected'],
      dataset: { row: r.key, total: totals[i] },
      ...(onSelect
        ? {
            role: 'button', tabindex: 0, 'aria-pressed': selected === r.key ? 'true' : 'false',
            'aria-label': `${r.label}: ${summary(r, series)}`,
            onclick: () => onSelect(r),
            onkeydown: (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(r);
              }
            },
          }
        : {}),
    });
    g.append(s('rect', { class: 'row-bg', x: 0, y, width, height: rowHeight }));
    g.append(s('text', { x: m.left - 10, y: y + rowHeight / 2, dy: '0.35em', 'text-anchor': 'end', class: 'row-label' }, clip(r.label, Math.floor(labelWidth / 7))));
    let acc = 0;
    for (const se of series) {
      const v = r.values[se.key] || 0;
      if (v <= 0) continue;
      const x0 = m.left + (acc / max) * pw;
      const w = (v / max) * pw;
      acc += v;
      g.append(
        s('rect', { class: ['mark', se.cls], x: x0.toFixed(2), y: y + 4, width: Math.max(0.5, w).toFixed(2), height: bh, dataset: { series: se.key, category: r.key, value: v } },
          s('title', null, `${r.label} — ${se.label}: ${fmt(v)}`)),
      );
      if (w >= String(v).length * 7 + 6) {
        g.append(s('text', { x: x0 + w / 2, y: y + rowHeight / 2, dy: '0.35em', 'text-anchor': 'middle', class: ['in-label', se.cls] }, fmt(v)));
      }
    }
    g.append(s('text', { x: m.left + (acc / max) * pw + 8, y: y + rowHeight / 2, dy: '0.35em', class: 'row-summary' }, summary(r, series)));
    svg.append(g);
  });
  return svg;
}

function summary(r, series) {
  const parts = series.filter((se) => (r.values[se.key] || 0) > 0).map((se) => `${fmt(r.values[se.key])} ${se.short ?? se.label}`);
  return parts.length ? parts.join(' · ') : 'none';
}

function clip(text, max) {
  const t = String(text);
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** A small bar for a table cell: one segment per series, widths proportional to the counts. */
export function miniBar(values, series, { width = 120, height = 12, label } = {}) {
  const total = series.reduce((a, se) => a + (values[se.key] || 0), 0);
  const svg = s('svg', { class: 'mini', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label ?? '' });
  svg.append(s('rect', { class: 'mini-bg', x: 0, y: 0, width, height }));
  let acc = 0;
  for (const se of series) {
    const v = values[se.key] || 0;
    if (v <= 0) continue;
    svg.append(
      s('rect', { class: ['mark', se.cls], x: ((acc / total) * width).toFixed(2), y: 0, width: Math.max(0.5, (v / total) * width).toFixed(2), height, dataset: { series: se.key, value: v } },
        s('title', null, `${se.label}: ${fmt(v)}`)),
    );
    acc += v;
  }
  return svg;
}

/** The numbers behind a chart as a plain table, folded away: for screen readers and for copying. */
export function dataTable(caption, head, rows) {
  return h('details', { class: 'data-table' },
    h('summary', null, caption),
    h('table', null,
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c))))))));
}
