// Runs: GET api/runs with the CLI's filter grammar (`metrics.auc > 0.9 and params.trees >= 100`) and orderBy,
// one page at a time through continuation tokens, so 10,000 runs cost one page of rows, never all of them.
import { api, h, num, status, link, page, enc, hashState, setHashState, errorBox } from './ui.js';

const pageSize = 50;

export async function render(main) {
  const state = hashState();
  const field = (id, label, value, attrs = {}) => h('label', { for: id }, label, h('input', { id, name: id, value: value ?? '', ...attrs }));
  const form = h('form', { class: 'bar', role: 'search' },
    field('model', 'Model', state.get('model')),
    field('pipeline', 'Pipeline id', state.get('pipeline')),
    field('filter', 'Filter', state.get('filter'), { type: 'search', placeholder: "metrics.auc > 0.8 and params.trees >= 50", class: 'wide' }),
    field('orderBy', 'Order by', state.get('orderBy'), { placeholder: 'metrics.auc desc' }),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const out = h('div', { 'aria-live': 'polite' });
  const tokens = [undefined]; // the token of each page seen, for Previous
  let at = 0;

  const load = async () => {
    const query = Object.fromEntries(['model', 'pipeline', 'filter', 'orderBy'].map(k => [k, form.elements[k].value.trim()]));
    setHashState(query);
    try {
      const result = await api('api/runs', { query: { ...query, pageSize, continuationToken: tokens[at] } });
      tokens[at + 1] = result.continuationToken ?? undefined;
      out.replaceChildren(runsTable(result.items, query),
        h('nav', { class: 'actions', 'aria-label': 'Pages of runs' },
          h('button', { type: 'button', disabled: at === 0, onclick: () => { at--; load(); } }, 'Previous'),
          h('span', { class: 'muted' }, ` page ${at + 1} `),
          h('button', { type: 'button', disabled: !result.continuationToken, onclick: () => { at++; load(); } }, 'Next')));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  form.addEventListener('submit', e => { e.preventDefault(); tokens.length = 1; at = 0; load(); });
  main.append(h('h1', {}, 'Runs'), h('p', { class: 'muted' }, 'Every trial of every training: the first rows are the leaderboard when ordered by a metric. ',
    'Filters use MLflow\'s grammar: ', h('code', {}, 'metrics.KEY'), ', ', h('code', {}, 'params.KEY'), ', ', h('code', {}, 'attributes.status = \'FINISHED\''), '.'), form, out);
  await load();
}

function runsTable(runs, query) {
  if (runs.length === 0) return h('p', {}, 'No run matches.');
  // Parameters and metrics side by side: one column per key any run on this page has.
  const keys = pick => [...new Set(runs.flatMap(r => Object.keys(r[pick])))].sort();
  const params = keys('params'), metrics = keys('metrics');
  const best = metrics.length ? bestBy(runs, query.orderBy) : null;
  const fixed = ['Run', 'Model', 'Trial', 'Trainer', 'Status'];
  const th = (text, attrs = {}) => h('th', { scope: 'col', ...attrs }, text);
  return h('div', { class: 'scroll' }, h('table', { class: 'runs' },
    h('thead', {},
      h('tr', {}, fixed.map(x => th(x, { rowspan: 2 })), params.length ? th('Parameters', { colspan: params.length, scope: 'colgroup' }) : null,
        metrics.length ? th('Metrics', { colspan: metrics.length, scope: 'colgroup' }) : null, th('Version', { rowspan: 2 })),
      h('tr', {}, params.map(p => th(p, { class: 'n' })), metrics.map(m => th(m, { class: 'n' })))),
    h('tbody', {}, runs.map(r => h('tr', {},
      h('td', {}, r.runId, r === best ? ' ' : '', r === best ? h('span', { class: 'badge ok' }, 'best on page') : ''),
      h('td', {}, link(page('models', r.model), r.model)), h('td', { class: 'n' }, r.trial), h('td', {}, r.trainer), h('td', {}, status(r.status)),
      params.map(p => h('td', { class: 'n' }, num(r.params[p]))), metrics.map(m => h('td', { class: 'n' }, num(r.metrics[m]))),
      h('td', {}, r.modelVersion ? `v${r.modelVersion}` : ''))))));
}

function bestBy(runs, orderBy) {
  const m = /^metrics\.(\S+)(?:\s+(asc|desc))?/i.exec(orderBy ?? '');
  return m ? runs.find(r => r.metrics[m[1]] !== undefined) : null;
}
