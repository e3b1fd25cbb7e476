// Monitoring: the latest verdict per model (GET api/models/{name}/drift/history, newest first) and, for one model,
// a heatmap of each feature's drift score over its recent reports, each column linking to the report's HTML page.
import { api, all, h, table, num, when, status, link, page, enc, moreNote } from './ui.js';
import { heat } from './charts.js';

const heatReports = 20;

export async function render(main, [name]) {
  if (!name) return overview(main);
  const base = `api/models/${enc(name)}/drift`;
  const history = (await api(`${base}/history`, { query: { pageSize: heatReports } })).items;
  main.append(h('h1', {}, `Monitoring ${name}`), h('p', { class: 'muted' }, link(page('models', name), 'the model'), ' · ', link(page('retraining', name), 'retraining')));
  if (history.length === 0) {
    main.append(h('p', {}, 'No drift report yet: reports come from the monitoring schedule or POST api/models/{name}/drift/run.'));
    return;
  }
  // The history holds summaries; the per-feature scores are in each report (at most heatReports of them, fetched together).
  const reports = await Promise.all(history.map(s => api(`${base}/reports/${enc(s.id)}`)));
  const ordered = reports.map((r, i) => ({ report: r, summary: history[i] })).sort((a, b) => Date.parse(a.summary.created) - Date.parse(b.summary.created));
  const features = [...new Set(ordered.flatMap(o => o.report.inputs.columnResults.map(c => c.column)))];
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Feature'), ordered.map(o => h('th', { scope: 'col' },
    link(`/${base}/reports/${enc(o.summary.id)}.html`, new Date(o.summary.created).toLocaleString('en-GB', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })),
    h('div', {}, status(o.summary.verdict)))));
  const cell = (o, feature) => {
    const c = o.report.inputs.columnResults.find(x => x.column === feature);
    return c ? h('td', { class: 'cell', style: heat(c.score / (c.threshold || 1)), title: `${c.method} ${num(c.score)} (threshold ${num(c.threshold)})` }, num(c.score, 3), c.drifted ? ' ✱' : '')
      : h('td', { class: 'cell' }, '—');
  };
  main.append(h('h2', {}, 'Drift per feature over time'),
    h('p', { class: 'muted' }, 'Each cell is a column\'s drift score in one report, shaded by score ÷ threshold; ✱ marks a drifted column. Columns link to their reports.'),
    h('div', { class: 'scroll' }, h('table', { class: 'heat' }, h('thead', {}, head),
      h('tbody', {}, features.map(f => h('tr', {}, h('th', { scope: 'row' }, f), ordered.map(o => cell(o, f))))))));
  main.append(h('h2', {}, 'Reports'), table(null, ['Created', 'Version', 'Trigger', 'Verdict', 'Drifted columns', 'Rows', 'Report'],
    history.map(s => [when(s.created), `v${s.version}`, s.trigger, status(s.verdict), `${s.driftedColumns} of ${s.columns}`, num(s.rows), link(`/${base}/reports/${enc(s.id)}.html`, 'open')]), { numeric: [5] }));
}

async function overview(main) {
  const models = await all('api/models');
  const latest = await Promise.all(models.map(m => api(`api/models/${enc(m.name)}/drift/history`, { query: { pageSize: 1 } }).then(p => p.items[0] ?? null, () => null)));
  main.append(h('h1', {}, 'Monitoring'), h('p', { class: 'muted' }, 'The latest drift verdict of each model.'), moreNote(models, 'models'),
    models.length === 0 ? h('p', {}, 'No model is registered yet.')
      : table(null, ['Model', 'Verdict', 'Version', 'Drifted columns', 'Share', 'When', 'Report'], models.map((m, i) => {
        const s = latest[i];
        return [link(page('monitoring', m.name), m.name), s ? status(s.verdict) : 'no report yet', s ? `v${s.version}` : '', s ? `${s.driftedColumns} of ${s.columns}` : '',
          s ? num(s.share, 2) : '', s ? when(s.created) : '', s ? link(`/api/models/${enc(m.name)}/drift/reports/${enc(s.id)}.html`, 'open') : ''];
      })));
}
