// Serving: GET api/models/{name}/deployment, the routes and, per version, the persisted serving signal (requests,
// errors, p99 latency, shadow agreement over the last minutes), refreshed while the page is open.
import { api, apiOrNull, h, table, num, badge, link, page, enc, modelIndex, when } from './ui.js';

const pollMs = 5000;

export async function render(main, [name]) {
  if (!name) return modelIndex(main, 'serving', 'Serving', 'Pick a model to see how its traffic is split and what each version served.');
  const out = h('div', { 'aria-live': 'off' });
  main.append(h('h1', {}, `Serving ${name}`), h('p', { class: 'muted' }, link(page('models', name), 'the model'), ' · refreshed every few seconds'), out);
  const load = async () => {
    const status = await apiOrNull(`api/models/${enc(name)}/deployment`);
    out.replaceChildren(...view(status));
  };
  await load();
  const tick = async () => { try { await load(); } catch { /* keep the last view */ } setTimeout(tick, pollMs); };
  setTimeout(tick, pollMs);
}

function view(s) {
  if (!s) return [h('p', {}, 'No such model.')];
  const resolved = s.resolved?.routes ?? [];
  const parts = [h('p', {}, 'Routing: ', badge(s.routing)),
    h('h2', {}, 'Routes'),
    s.deployment ? table(null, ['Declared', 'Version', 'Weight'], resolved.map(r => [String(r.declared), r.version ? `v${r.version}` : 'unresolved', `${r.weight}`]), { numeric: [2] })
      : h('p', {}, 'No deployment: predictions go to the champion, else the latest version.'),
    s.deployment?.shadow ? h('p', {}, `Shadow: ${s.deployment.shadow.version} (sample ${num(s.deployment.shadow.sample)}) → v${s.resolved?.shadow ?? '?'}`) : '',
    h('h2', {}, 'Per version, over the last 15 minutes')];
  const signal = s.signal ?? [];
  parts.push(signal.length === 0 ? h('p', { class: 'muted' }, 'No requests in the window.')
    : table(null, ['Version', 'Requests', 'Errors', 'Error rate', 'Latency p99 (ms)', 'Shadow requests', 'Shadow agreed'],
      signal.map(v => [`v${v.version}`, num(v.requests), num(v.errors), v.errorRate === null ? '—' : `${num(100 * v.errorRate, 2)}%`, num(v.latencyP99Ms, 1),
        num(v.shadowRequests), v.shadowCompared ? `${num(v.shadowAgreed)} of ${num(v.shadowCompared)}` : '—']), { numeric: [1, 2, 3, 4, 5] }));
  parts.push(h('h2', {}, 'Requests by target since the deployment'),
    table(null, ['Target', 'Requests'], Object.entries(s.requests ?? {}).map(([k, v]) => [k, num(v)]), { numeric: [1] }),
    h('p', { class: 'muted' }, `Updated ${when(new Date())}`));
  return parts;
}
