// Datasets: the list; one dataset's versions, a version's per-column profile, schema changes, quarantine reports,
// and drift between two versions (GET api/datasets/{name}/drift, as the CLI's `datasets drift`).
import { api, all, h, table, facts, num, when, badge, link, page, enc, hashState, errorBox, moreNote } from './ui.js';
import { histogram, topValues, heat } from './charts.js';

export async function render(main, [name]) {
  if (!name) return list(main);
  const base = `api/datasets/${enc(name)}`;
  const [details, versions, quarantine] = await Promise.all([api(base), all(`${base}/versions`, {}, 200), api(`${base}/quarantine`, { query: { pageSize: 20 } })]);
  // Choosing a version is a link to #version=N: render again for it (a reload keeps the page's code simple).
  addEventListener('hashchange', () => location.reload(), { once: true });
  const state = hashState();
  const chosen = Number(state.get('version')) || details.latestVersion;
  const version = chosen === details.latestVersion && details.latest.profile ? details.latest : await api(`${base}/versions/${chosen}`);

  main.append(h('h1', {}, name), h('p', { class: 'muted' }, `${details.versionCount} versions · latest v${details.latestVersion} · updated ${when(details.updated)}`),
    h('h2', {}, 'Versions'),
    table(null, ['Version', 'Created', 'Rows', 'Columns', 'Source', 'Models trained on it', 'Warnings'],
      versions.map(v => [v.version === chosen ? h('strong', {}, `v${v.version}`) : h('a', { href: `#version=${v.version}` }, `v${v.version}`),
        when(v.created), num(v.rows), num(v.columnCount), v.source,
        (v.models ?? []).map(m => link(page('models', m.model), `${m.model} v${m.version}`)).flatMap((a, i) => i ? [', ', a] : [a]),
        (v.warnings ?? []).join('; ')]), { numeric: [2, 3] }));

  main.append(h('h2', {}, `Profile of v${version.version}`), profile(version));
  main.append(h('h2', {}, 'Schema changes'));
  if (version.previousVersion) {
    const diff = await api(`${base}/diff`, { query: { from: version.previousVersion, to: version.version } });
    main.append(diff.schemaChanges.length ? h('ul', {}, diff.schemaChanges.map(c => h('li', {}, c)))
      : h('p', {}, `No schema change from v${diff.from} to v${diff.to} (rows ${num(diff.rows.from)} → ${num(diff.rows.to)}).`));
  } else {
    main.append(h('p', { class: 'muted' }, 'The first version: nothing to compare with.'));
  }

  main.append(h('h2', {}, 'Quarantine'), quarantine.items.length === 0 ? h('p', {}, 'No file of this dataset was quarantined.')
    : h('div', {}, quarantine.items.map(q => h('details', {}, h('summary', {}, `${when(q.received)} · ${q.source} · ${q.problems.length} problem kinds`),
      table(null, ['Problem', 'Column', 'Count', 'Message', 'First at'], q.problems.map(p => [p.kind, p.column ?? '', num(p.count), p.message,
        p.examples.slice(0, 3).map(e => `line ${e.line ?? '?'}${e.value !== undefined ? ` (${e.value})` : ''}`).join(', ')]), { numeric: [2] })))));

  main.append(h('h2', {}, 'Drift between two versions'), driftForm(base, versions, details.latestVersion));
}

async function list(main) {
  const datasets = await all('api/datasets');
  main.append(h('h1', {}, 'Datasets'), moreNote(datasets, 'datasets'), datasets.length === 0 ? h('p', {}, 'No dataset yet: upload a CSV or Parquet file to landing/{name}/.')
    : table(null, ['Dataset', 'Latest version', 'Created', 'Updated'], datasets.map(d => [link(page('datasets', d.name), d.name), `v${d.latestVersion}`, when(d.created), when(d.updated)])));
}

function profile(version) {
  const columns = Object.entries(version.profile ?? {});
  if (columns.length === 0) return h('p', { class: 'muted' }, 'This version has no profile.');
  const types = Object.fromEntries((version.schema ?? []).map(c => [c.name, c]));
  return table(`${num(version.rows)} rows · sha256 ${version.sha256.slice(0, 12)}…`, ['Column', 'Type', 'Missing', 'Distinct', 'Mean', 'Std', 'Min', 'Max', 'Distribution'],
    columns.map(([column, p]) => [column, h('span', {}, p.type, p.categorical ? ' ' : '', p.categorical ? badge('categorical') : null, types[column]?.nullable === false ? ' not null' : ''),
      `${num(p.missing)} (${num(p.count + p.missing ? 100 * p.missing / (p.count + p.missing) : 0, 1)}%)`, num(p.distinct), num(p.mean), num(p.std), num(p.min), num(p.max),
      p.histogram ? histogram(p.histogram.edges, p.histogram.counts) : p.top ? topValues(p.top) : '']), { numeric: [2, 3, 4, 5] });
}

function driftForm(base, versions, latest) {
  const options = selected => versions.map(v => h('option', { value: v.version, selected: v.version === selected }, `v${v.version}`));
  const out = h('div', { 'aria-live': 'polite' });
  const before = versions.map(v => v.version).filter(v => v < latest);
  const reference = h('select', { id: 'drift-reference', name: 'reference' }, options(before.length ? Math.max(...before) : latest));
  const current = h('select', { id: 'drift-current', name: 'current' }, options(latest));
  const form = h('form', { class: 'bar' },
    h('label', { for: 'drift-reference' }, 'Reference', reference), h('label', { for: 'drift-current' }, 'Current', current),
    h('button', { type: 'submit' }, 'Compare'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    out.replaceChildren(h('p', { class: 'muted' }, 'Computing…'));
    try {
      const query = { reference: reference.value, current: current.value };
      const r = await api(`${base}/drift`, { query });
      out.replaceChildren(h('div', { class: `verdict ${r.datasetDrift ? 'drift' : 'stable'}` },
        `${r.datasetDrift ? 'Drift' : 'No dataset drift'}: ${r.driftedColumns} of ${r.columns} columns drifted (share ${num(r.share, 2)}, threshold ${num(r.shareThreshold, 2)})`),
        link(`/${base}/drift?reference=${query.reference}&current=${query.current}&format=html`, 'The full drift report'),
        table(null, ['Column', 'Type', 'Method', 'Score', 'Threshold', 'Drifted'], r.columnResults.map(c => [c.column, c.type, c.method,
          h('span', { style: heat(c.drifted ? 1 : c.score / (c.threshold || 1) / 2) }, num(c.score)), num(c.threshold), c.drifted ? badge('drift', 'bad') : 'no']), { numeric: [3, 4] }));
    } catch (err) { out.replaceChildren(errorBox(err)); }
  });
  return h('div', {}, form, out);
}
