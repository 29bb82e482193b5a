// The REST API of `bulwark serve` (/api/v1). The token, when the server wants one, lives in sessionStorage only.

const TOKEN_KEY = 'bulwark.token';

export class ApiError extends Error {
  constructor(status, title, detail, instance) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.instance = instance;
  }
}

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the token then lasts only as long as this page.
  }
}

/** GET api/v1/PATH?params as JSON; a problem+json answer becomes an ApiError carrying its title and detail. */
export async function get(path, params) {
  const url = new URL('api/v1/' + path, document.baseURI);
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== '' && v !== null && v !== undefined && v !== false) url.searchParams.set(k, String(v));
  }
  const headers = { Accept: 'application/json, application/problem+json' };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 30000);
  let res;
  try {
    res = await fetch(url, { headers, signal: ctl.signal, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'The server did not answer', e.name === 'AbortError' ? 'no answer within 30 s' : String(e.message || e));
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      if (res.ok) throw new ApiError(res.status, 'The server sent something that is not JSON', url.pathname);
    }
  }
  if (!res.ok) {
    const title = (body && typeof body.title === 'string' && body.title) || `HTTP ${res.status}`;
    const detail = body && typeof body.detail === 'string' ? body.detail : '';
    const err = new ApiError(res.status, title, detail, body && body.instance);
    if (res.status === 401 || res.status === 403) window.dispatchEvent(new CustomEvent('bulwark:auth', { detail: err }));
    throw err;
  }
  return body ?? {};
}

/** The items array of a list answer, never undefined. */
export function items(body) {
  return Array.isArray(body?.items) ? body.items : [];
}
