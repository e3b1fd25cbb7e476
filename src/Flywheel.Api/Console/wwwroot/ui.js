// What every console page shares: the API client (the CLI's routes and key headers), DOM building that never
// parses strings as HTML, and the few formats the pages repeat.

const keyName = 'flywheel.key';

/** A failed API call: the problem+json's title and detail when the API sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const key = sessionStorage.getItem(keyName);
  if (key) {
    // LocalHost reads X-Api-Key; the Functions host reads a function key from x-functions-key. Send the one key as both.
    h['X-Api-Key'] = key;
    h['x-functions-key'] = key;
  }
  return h;
}

/** Asks for a key in the page's dialog; resolves true when one was entered. */
function askForKey() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  input.value = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'save' && input.value) {
        sessionStorage.setItem(keyName, input.value.trim());
        resolve(true);
      } else {
        resolve(false);
      }
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
}

/** Calls the API at a path relative to the site root (`api/models`); JSON in and out; 401 asks for a key once and retries. */
export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL('/' + path, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const send = () => fetch(url, {
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let response = await send();
  if (response.status === 401 && await askForKey()) response = await send();
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON: the status says it */ }
    throw new ApiError(response.status, problem);
  }
  // Read the body even when unused (a 202's), so the request completes instead of being aborted when the page goes.
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The same call, answering null for a 404 (a model with no policy, no deployment, no report yet). */
export async function apiOrNull(path, options) {
  try { return await api(path, options); } catch (e) { if (e.status === 404) return null; throw e; }
}

/** Builds an element: h('a', {href}, 'text', child). Strings become text nodes, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') el.setAttribute('style', v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** A table with a caption; cells may be nodes or text; numeric columns (by index in `numeric`) align right. */
export function table(caption, headers, rows, { numeric = [], cls } = {}) {
  const num = new Set(numeric);
  return h('div', { class: 'scroll' }, h('table', { class: cls },
    caption ? h('caption', { class: 'muted', style: 'text-align:left' }, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((x, i) => h('th', { scope: 'col', class: num.has(i) ? 'n' : null }, x)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map((x, i) => h('td', { class: num.has(i) ? 'n' : null }, x)))))));
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(p => p[1] !== undefined && p[1] !== null).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export const num = (v, digits = 4) => v === null || v === undefined ? '—'
  : typeof v !== 'number' ? String(v)
  : Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: digits });

export const when = v => v ? new Date(v).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const badge = (text, tone) => h('span', { class: `badge ${tone ?? ''}` }, text);

const tones = { Completed: 'ok', FINISHED: 'ok', FAILED: 'bad', RUNNING: 'warn', promoted: 'ok', 'no-drift': 'ok', Running: 'warn', Pending: 'warn', running: 'warn', held: 'warn', Failed: 'bad', Terminated: 'bad', drift: 'bad', failed: 'bad', 'rolled-back': 'bad' };
export const status = s => badge(s, tones[s]);

/** The console's own links: console pages, and the API's HTML pages the console reaches. */
export const page = (...parts) => '/console/' + parts.map(encodeURIComponent).join('/');
export const link = (href, text) => h('a', { href }, text);
export const enc = encodeURIComponent;

/** The page's state that survives a reload, kept in the hash (the console's routes take no query). */
export function hashState() { return new URLSearchParams(location.hash.slice(1)); }
export function setHashState(values) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) p.set(k, v);
  history.replaceState(null, '', '#' + p.toString());
}

export function errorBox(e) {
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, e.problem?.title ?? 'The request failed'), ': ', e.message);
}

/** Announces the result of an action to screen readers and sighted users alike. */
export function say(text) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

/** A button that posts something, disables itself while it does, and reports the outcome. */
export function action(label, run, { cls, confirmText } = {}) {
  const b = h('button', { type: 'button', class: cls }, label);
  b.addEventListener('click', async () => {
    if (confirmText && !confirm(confirmText)) return;
    b.disabled = true;
    try { await run(); say(`${label}: sent`); } catch (e) { say(`${label} failed: ${e.message}`); b.disabled = false; }
  });
  return b;
}

/** All pages of a paged list (Page<T>), up to `max` items, following continuation tokens; `more` says the list went on past them. */
export async function all(path, query = {}, max = 500) {
  const items = [];
  let token;
  do {
    const p = await api(path, { query: { ...query, continuationToken: token } });
    items.push(...p.items);
    token = p.continuationToken;
  } while (token && items.length < max);
  items.more = Boolean(token);
  return items;
}

/** Says a list from `all` stopped at its cap, so a long list never looks complete when it is not. */
export const moreNote = (items, what) => items.more
  ? h('p', { class: 'muted', role: 'note' }, `Showing the first ${num(items.length)} ${what}; more exist (the API pages on with continuationToken).`) : null;

/** The list of models, a heading and links to each model's page under `section`. */
export async function modelIndex(main, section, title, intro) {
  const models = await all('api/models');
  main.append(h('h1', {}, title), h('p', { class: 'muted' }, intro), moreNote(models, 'models'),
    models.length === 0 ? h('p', {}, 'No models are registered yet.')
      : h('ul', { class: 'cards' }, models.map(m => h('li', {}, link(page(section, m.name), m.name), h('div', { class: 'muted' }, `latest v${m.latestVersion}`)))));
}
