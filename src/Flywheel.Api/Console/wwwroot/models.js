// Models: the registry list; one model's versions with lineage (dataset, run, pipeline report, card), its aliases
// as a timeline from the audit history (which version was champion when), and a metric across versions.
import { api, all, h, table, num, when, badge, link, page, enc, moreNote } from './ui.js';
import { lineChart } from './charts.js';

export async function render(main, [name]) {
  if (!name) return list(main);
  const base = `api/models/${enc(name)}`;
  const [model, history, metrics] = await Promise.all([api(base, { query: { pageSize: 200 } }), all(`${base}/history`, {}, 1000), api(`${base}/metrics`)]);
  main.append(h('h1', {}, name), h('p', { class: 'muted' }, `latest v${model.latestVersion} · `,
    Object.entries(model.aliases).map(([a, v]) => badge(`${a} → v${v}`, a === 'champion' ? 'ok' : '')).flatMap((b, i) => i ? [' ', b] : [b]),
    ' · ', link(page('serving', name), 'serving'), ' · ', link(page('monitoring', name), 'monitoring'), ' · ', link(page('retraining', name), 'retraining')));

  main.append(h('h2', {}, 'Versions'),
    table(null, ['Version', 'Created', 'By', 'Aliases', 'Metrics', 'Trained on', 'Run', 'Report', 'Card'],
      model.versions.map(v => [`v${v.version}`, when(v.created), v.createdBy ?? '', v.aliases.map(a => badge(a)),
        Object.entries(v.metrics).slice(0, 4).map(([k, x]) => `${k} ${num(x)}`).join(' · '),
        v.dataset ? link(page('datasets', v.dataset.name) + `#version=${v.dataset.version}`, `${v.dataset.name} v${v.dataset.version}`) : '',
        v.runId ? link(page('runs') + `#model=${enc(name)}&filter=${enc(`attributes.run_id = '${v.runId}'`)}`, v.runId) : '',
        v.training ? link(`/api/pipelines/${enc(v.training.pipelineId)}/report.html`, 'training report') : '',
        link(`/${base}/versions/${v.version}/card?format=html`, 'model card')])));

  main.append(h('h2', {}, 'Aliases over time'), timeline(history, model));
  main.append(h('h2', {}, 'A metric across versions'), metricChart(metrics));
}

async function list(main) {
  const models = await all('api/models');
  main.append(h('h1', {}, 'Models'), moreNote(models, 'models'), models.length === 0 ? h('p', {}, 'No model is registered yet.')
    : table(null, ['Model', 'Latest', 'Aliases', 'Updated'], models.map(m => [link(page('models', m.name), m.name), `v${m.latestVersion}`,
      Object.entries(m.aliases).map(([a, v]) => badge(`${a} → v${v}`)), when(m.updated)])));
}

/** Each alias's spans from the history's alias-set and alias-deleted entries: who pointed it where, from when to when. */
export function aliasSpans(history) {
  const spans = {};
  for (const e of [...history].sort((a, b) => a.sequence - b.sequence)) {
    if (e.action !== 'alias-set' && e.action !== 'alias-deleted') continue;
    const list = spans[e.alias] ??= [];
    const open = list.at(-1);
    if (open && !open.to) open.to = e.when;
    if (e.action === 'alias-set') list.push({ version: e.to ?? e.version, from: e.when, to: null, by: e.by });
  }
  return spans;
}

function timeline(history, model) {
  const spans = aliasSpans(history);
  const aliases = Object.keys(spans);
  if (aliases.length === 0) return h('p', { class: 'muted' }, 'No alias has been set yet.');
  const start = Math.min(...Object.values(spans).flat().map(s => Date.parse(s.from)));
  const end = Date.now();
  const colour = v => `hsl(${(v * 67) % 360} 55% 42%)`;
  return h('div', {}, aliases.flatMap(alias => [
    h('h3', {}, alias),
    h('div', { class: 'timeline', 'aria-hidden': 'true' }, spans[alias].map(s => {
      const from = Date.parse(s.from), to = s.to ? Date.parse(s.to) : end;
      return h('span', { style: `left:${100 * (from - start) / (end - start || 1)}%;width:${Math.max(0.5, 100 * (to - from) / (end - start || 1))}%;background:${colour(s.version)}`, title: `v${s.version}` }, `v${s.version}`);
    })),
    table(`Which version was ${alias} when`, ['Version', 'From', 'Until', 'Set by'],
      [...spans[alias]].reverse().map(s => [`v${s.version}`, when(s.from), s.to ? when(s.to) : (model.aliases[alias] === s.version ? 'now' : '—'), s.by ?? ''])),
  ]));
}

function metricChart(metrics) {
  const names = Object.keys(metrics.metrics);
  if (names.length === 0) return h('p', { class: 'muted' }, 'No version has metrics yet.');
  const holder = h('div');
  const select = h('select', { id: 'metric' }, names.map(n => h('option', { value: n }, n)));
  const draw = () => {
    const points = [...metrics.metrics[select.value]].sort((a, b) => a.version - b.version);
    holder.replaceChildren(
      lineChart({ title: `${select.value} by version`, x: points.map(p => p.version), series: [{ label: select.value, values: points.map(p => p.value) }], xLabel: 'version', integers: true }),
      table(null, ['Version', select.value, 'Created', 'Run'], points.map(p => [`v${p.version}`, num(p.value), when(p.created), p.runId ?? '']), { numeric: [1] }));
  };
  select.addEventListener('change', draw);
  draw();
  return h('div', {}, h('form', { class: 'bar', onsubmit: e => e.preventDefault() }, h('label', { for: 'metric' }, 'Metric', select)), holder);
}
