// Pipelines: GET api/pipelines with the CLI's filters; running ones are polled (GET api/pipelines/{id}) for live
// progress; a training waiting for approval gets Approve/Reject (POST .../events/approval), a running one Terminate.
import { api, h, table, num, when, status, link, page, enc, hashState, setHashState, action, errorBox } from './ui.js';

const live = new Set(['Running', 'Pending', 'Suspended']);
const pollMs = 2000;
// The orchestrations' names, which GET api/pipelines?name= matches exactly.
const kinds = [['', 'any'], ['TrainingOrchestration', 'training'], ['BatchScoringOrchestration', 'batch scoring'], ['RetrainingOrchestration', 'retraining'], ['ModelMonitoringOrchestration', 'monitoring']];

export async function render(main) {
  const state = hashState();
  const statuses = ['', 'Running', 'Pending', 'Completed', 'Failed', 'Terminated', 'Suspended'];
  const form = h('form', { class: 'bar' },
    h('label', { for: 'kind' }, 'Kind', h('select', { id: 'kind', name: 'kind' }, kinds.map(([value, label]) => h('option', { value, selected: value === (state.get('name') ?? '') }, label)))),
    h('label', { for: 'pstatus' }, 'Status', h('select', { id: 'pstatus', name: 'pstatus' }, statuses.map(s => h('option', { value: s, selected: s === (state.get('status') ?? '') }, s || 'any')))),
    h('label', { for: 'from' }, 'Created from', h('input', { id: 'from', name: 'from', type: 'date', value: state.get('createdFrom') ?? '' })),
    h('button', { type: 'submit', class: 'primary' }, 'Filter'));
  const out = h('div');
  let timer;
  const load = async () => {
    clearTimeout(timer);
    const query = { name: form.elements.kind.value, status: form.elements.pstatus.value, createdFrom: form.elements.from.value };
    setHashState(query);
    try {
      const result = await api('api/pipelines', { query: { ...query, createdFrom: query.createdFrom ? new Date(query.createdFrom).toISOString() : '', pageSize: 50 } });
      const rows = new Map(result.items.map(p => [p.instanceId, p]));
      const body = h('tbody');
      const draw = () => body.replaceChildren(...[...rows.values()].map(row));
      draw();
      out.replaceChildren(h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Pipeline', 'Kind', 'Status', 'Step', 'Progress', 'Created', 'Updated', 'Actions'].map(x => h('th', { scope: 'col' }, x)))), body)),
        result.continuationToken ? h('p', { class: 'muted' }, 'Showing the newest 50; narrow the filters to see others.') : '');
      // Poll only the running ones, each with its own GET, so a long list costs nothing once finished.
      const poll = async () => {
        const running = [...rows.values()].filter(p => live.has(p.runtimeStatus));
        if (running.length === 0) return;
        for (const p of running) {
          try { rows.set(p.instanceId, await api(`api/pipelines/${enc(p.instanceId)}`)); } catch { /* keep the last known row */ }
        }
        draw();
        timer = setTimeout(poll, pollMs);
      };
      timer = setTimeout(poll, pollMs);
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  form.addEventListener('submit', e => { e.preventDefault(); load(); });
  main.append(h('h1', {}, 'Pipelines'), h('p', { class: 'muted' }, 'Training and batch scoring runs, newest first; running ones update every few seconds.'), form, out);
  await load();
}

function row(p) {
  const custom = p.customStatus && typeof p.customStatus === 'object' ? p.customStatus : {};
  const id = p.instanceId;
  const post = (path, body, query) => () => api(`api/pipelines/${enc(id)}/${path}`, { method: 'POST', body, query });
  const actions = [];
  if (custom.step === 'awaiting-approval') {
    actions.push(action('Approve', post('events/approval', { approved: true, comment: 'approved in the console' }), { cls: 'primary' }),
      action('Reject', post('events/approval', { approved: false, comment: 'rejected in the console' }), { cls: 'danger' }));
  }
  if (live.has(p.runtimeStatus)) {
    actions.push(action('Terminate', post('terminate', undefined, { reason: 'terminated in the console' }), { cls: 'danger', confirmText: `Terminate pipeline ${id}?` }));
  }
  const training = p.name === 'TrainingOrchestration';
  return h('tr', { 'data-id': id },
    h('td', {}, h('code', {}, id)), h('td', {}, kinds.find(k => k[0] === p.name)?.[1] ?? p.name), h('td', {}, status(p.runtimeStatus), p.failure ? h('div', { class: 'muted' }, p.failure.errorMessage) : ''),
    h('td', {}, custom.step ?? ''),
    h('td', {}, progress(custom)),
    h('td', {}, when(p.createdTime)), h('td', {}, when(p.lastUpdatedTime)),
    h('td', {}, h('div', { class: 'actions' }, actions,
      training ? link(page('runs') + `#pipeline=${enc(id)}&orderBy=${enc(custom.metric ? `metrics.${custom.metric} desc` : '')}`, 'runs') : '',
      training && p.runtimeStatus === 'Completed' ? link(`/api/pipelines/${enc(id)}/report.html`, 'report') : '')));
}

function progress(c) {
  if (!c.trialsTotal) return '';
  const done = c.trialsDone ?? 0;
  return h('span', {}, h('progress', { max: c.trialsTotal, value: done, 'aria-label': `${done} of ${c.trialsTotal} trials` }),
    ` ${done}/${c.trialsTotal}`, c.best ? ` · best ${num(c.best.value)} (trial ${c.best.trial})` : '');
}
