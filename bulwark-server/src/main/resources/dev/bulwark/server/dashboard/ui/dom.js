// DOM building without innerHTML: every string from the API becomes a text node or an attribute value, so data can
// never turn into markup (the XSS tests put HTML in image references).

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element: h('a', {href: '#/images', class: 'x'}, 'text', child, [more]). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** An SVG element, same shape as h(). */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  append(el, children);
  return el;
}

function setProps(el, props) {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) {
      // Handlers only ever come from our code; a non-function here would become an attribute, so refuse it.
      if (typeof value !== 'function') throw new TypeError(`handler ${key} is not a function`);
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value));
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[k] = String(v);
    } else if (key === 'href' || key === 'src' || key === 'action') {
      el.setAttribute(key, safeUrl(value));
    } else if (key === 'value' && 'value' in el && !(el instanceof SVGElement)) {
      el.value = String(value);
    } else if (key === 'checked' || key === 'selected') {
      el[key] = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/** Only in-page links: a javascript: or foreign URL built from data must not reach an href. */
function safeUrl(value) {
  const v = String(value);
  return v.startsWith('#') ? v : '#';
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** "2026-12-07T05:30:12Z" -> "2026-12-07 05:30 UTC" (with seconds: "05:30:12"); anything unparsable is shown as it came. */
export function when(iso, seconds = false) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ') + ' UTC';
}

export function whenEl(iso, seconds = false) {
  return h('time', { datetime: iso ?? null, title: iso ?? null }, when(iso, seconds));
}

/** sha256:0123456789abcdef... -> sha256:0123456789ab, the full value in a tooltip. */
export function shortDigest(d) {
  if (!d) return h('span', { class: 'muted' }, '—');
  const str = String(d);
  const m = /^([a-z0-9]+):([0-9a-f]{12})[0-9a-f]+$/.exec(str);
  return h('code', { class: 'digest', title: str }, m ? `${m[1]}:${m[2]}` : str);
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many ?? one + 's'}`;
}

/** The route's query part: '#/images?q=x' -> URLSearchParams('q=x'). */
export function hashParams() {
  const i = location.hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : location.hash.slice(i + 1));
}

/** Keeps filter state in the address (shareable, survives reload) without adding a history entry per keystroke. */
export function replaceHashParams(params) {
  const base = location.hash.split('?')[0] || '#/';
  const clean = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== false) clean.set(k, String(v));
  const q = clean.toString();
  history.replaceState(null, '', base + (q ? '?' + q : ''));
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

/** A labelled form control: label text, then the control. */
export function field(labelText, control) {
  const id = control.id || (control.id = 'f-' + Math.random().toString(36).slice(2, 9));
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control);
}

export function select(options, current, props) {
  return h('select', props, options.map(([value, label]) => h('option', { value, selected: value === current }, label)));
}
