// The dashboard's shell: hash routes (#/images, #/images/ID, #/trends, #/audits, #/audits/ID, #/decisions), the token
// form, and one place that shows errors. Each view renders into <main> and marks it data-state=ready when its data is in.
import { h, clear } from './dom.js';
import { ApiError, setToken, token } from './api.js';
import { imagesView } from './views/images.js';
import { imageView } from './views/image.js';
import { trendsView } from './views/trends.js';
import { auditsView, auditView } from './views/audits.js';
import { decisionsView } from './views/decisions.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let generation = 0;

const routes = [
  [/^\/images\/([^/?]+)$/, (m, ctx) => imageView(ctx, decodeURIComponent(m[1])), 'images'],
  [/^\/images\/?$/, (m, ctx) => imagesView(ctx), 'images'],
  [/^\/trends\/?$/, (m, ctx) => trendsView(ctx), 'trends'],
  [/^\/audits\/([^/?]+)$/, (m, ctx) => auditView(ctx, decodeURIComponent(m[1])), 'audits'],
  [/^\/audits\/?$/, (m, ctx) => auditsView(ctx), 'audits'],
  [/^\/decisions\/?$/, (m, ctx) => decisionsView(ctx), 'decisions'],
];

function path() {
  const raw = location.hash.replace(/^#/, '').split('?')[0];
  return raw || '/images';
}

async function route(event) {
  const gen = ++generation;
  const moved = event?.type === 'hashchange';
  const p = path();
  const found = routes.map(([re, view, nav]) => [re.exec(p), view, nav]).find(([m]) => m);
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    if (found && a.dataset.nav === found[2]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  hideBanner();
  clear(main);
  main.dataset.state = 'loading';
  main.dataset.view = found ? found[2] : 'none';
  // A view finishing after the user moved on must not draw over the new one.
  const ctx = {
    main,
    live: () => gen === generation,
    fail: (err) => gen === generation && showError(err),
  };
  if (!found) {
    main.append(h('h1', null, 'Not found'), h('p', null, 'No such page: ', h('code', null, p), '. ', h('a', { href: '#/images' }, 'Go to the images')));
    main.dataset.state = 'ready';
    return;
  }
  try {
    await found[1](found[0], ctx);
    if (ctx.live()) {
      main.dataset.state = 'ready';
      const h1 = main.querySelector('h1');
      document.title = (h1 ? h1.textContent + ' — ' : '') + 'Bulwark';
      // A new view: start at its top, and let screen readers begin there rather than on the link just followed.
      if (moved) {
        window.scrollTo(0, 0);
        main.focus({ preventScroll: true });
      }
    }
  } catch (err) {
    if (ctx.live()) {
      showError(err);
      main.dataset.state = 'error';
    }
  }
}

function showError(err) {
  const e = err instanceof ApiError ? err : new ApiError(0, 'Something went wrong in the dashboard', String(err?.message ?? err));
  if (!(err instanceof ApiError)) console.error(err);
  const lines = [h('strong', null, e.title)];
  if (e.detail) lines.push(' — ', e.detail);
  if (e.status === 401 || e.status === 403) {
    lines.push(' ', token() ? 'The token was not accepted: enter another one above.' : 'This server wants an API token: enter it above.');
  }
  banner.replaceChildren(...lines);
  banner.hidden = false;
}

function hideBanner() {
  banner.hidden = true;
  banner.replaceChildren();
}

const form = document.getElementById('login');
const input = document.getElementById('token');
function syncLogin() {
  input.value = '';
  input.placeholder = token() ? 'token in use (kept for this tab)' : 'none needed in read-open mode';
  document.getElementById('logout').hidden = !token();
}
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const v = input.value.trim();
  if (v) setToken(v);
  syncLogin();
  route(null);
});
document.getElementById('logout').addEventListener('click', () => {
  setToken('');
  syncLogin();
  route(null);
});
window.addEventListener('bulwark:auth', () => input.focus());
window.addEventListener('hashchange', route);
syncLogin();
route(null);
