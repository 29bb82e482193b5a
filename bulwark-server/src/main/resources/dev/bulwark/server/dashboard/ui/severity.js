// Severity order, names and marks. Colours always come with the word (or its letter in tight spots), so nothing
// depends on telling red from orange.
import { h } from './dom.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

const LABEL = { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low', UNKNOWN: 'Unknown' };

/** A severity the API sent, folded onto the five known ones (anything else counts as UNKNOWN). */
export function norm(sev) {
  const s = String(sev ?? '').toUpperCase();
  return SEVERITIES.includes(s) ? s : 'UNKNOWN';
}

export function label(sev) {
  return LABEL[norm(sev)];
}

/** CRITICAL 0 ... UNKNOWN 4: lower is worse. */
export function rank(sev) {
  return SEVERITIES.indexOf(norm(sev));
}

export function atLeast(sev, min) {
  return !min || rank(sev) <= rank(min);
}

export function cls(sev) {
  return 'sev-' + norm(sev).toLowerCase();
}

export function badge(sev) {
  const n = norm(sev);
  // The API's own word is shown when it is not one of ours, so nothing is silently renamed.
  const text = String(sev ?? '').toUpperCase() === n ? LABEL[n] : String(sev ?? 'Unknown');
  return h('span', { class: ['badge', cls(n)], dataset: { severity: n } }, text);
}

/** counts as the API sends them, with missing or bad numbers read as 0. */
export function counts(c) {
  const out = {};
  for (const s of SEVERITIES) {
    const v = Number(c?.[s]);
    out[s] = Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
  }
  return out;
}

export function total(c) {
  const n = counts(c);
  return SEVERITIES.reduce((a, s) => a + n[s], 0);
}

export const SEVERITY_OPTIONS = [['', 'Any severity'], ...SEVERITIES.slice(0, 4).map((s) => [s, `${LABEL[s]} or worse`])];
