// Retraining: the policy (GET api/models/{name}/policy), the retrainings with each step and its canary checks, and the
// controls a person steers a canary with: the events promote, rollback, pause and resume on the retraining's pipeline.
import { api, apiOrNull, h, table, facts, num, when, status, link, page, enc, action, modelIndex } from './ui.js';

const controls = [['Promote', 'promote', 'primary'], ['Roll back', 'rollback', 'danger'], ['Pause', 'pause'], ['Resume', 'resume']];

export async function render(main, [name]) {
  if (!name) return modelIndex(main, 'retraining', 'Retraining', 'Pick a model to see its policy, its retrainings and their canaries.');
  const base = `api/models/${enc(name)}`;
  const [policy, retrainings] = await Promise.all([apiOrNull(`${base}/policy`), api(`${base}/retrainings`)]);
  main.append(h('h1', {}, `Retraining ${name}`), h('p', { class: 'muted' }, link(page('models', name), 'the model'), ' · ', link(page('serving', name), 'serving')));
  main.append(h('h2', {}, 'Policy'), policy ? policyView(policy) : h('p', {}, 'No policy: the model retrains only when asked (PUT api/models/{name}/policy sets one).'));
  const items = retrainings.items;
  main.append(h('h2', {}, 'Retrainings'), items.length === 0 ? h('p', {}, 'No retraining yet.') : h('div', {}, items.map(retraining)));
}

function policyView(p) {
  const t = p.triggers ?? {};
  const c = p.canary ?? {};
  return facts([
    ['Triggers', [t.newData ? `new data (≥ ${num(t.newData.minNewRows)} rows${t.newData.dataset ? ` of ${t.newData.dataset}` : ''})` : null,
      t.drift ? `drift (share ≥ ${num(t.drift.minShare)}, ${t.drift.consecutive}× in a row)` : null, t.schedule ? `schedule ${t.schedule}` : null,
      t.feedback ? `feedback (≥ ${num(t.feedback.minRows)} rows in ${t.feedback.window})` : null].filter(Boolean).join(' · ') || 'none'],
    ['Cooldown', p.cooldown], ['Promotion', p.promotion], ['Approval', `${p.approval} (times out after ${p.approvalTimeout})`],
    ['Canary', `shadow ${c.shadowFirst ?? 'off'} · steps ${(c.steps ?? []).join('%, ')}% every ${c.interval} · ≥ ${num(c.minRequests)} requests · ${c.failureLimit} failures roll back · inconclusive: ${c.onInconclusive} · at most ${c.maxDuration}`],
  ]);
}

function retraining(r) {
  const running = !r.finished; // running, pending or held: a person can still steer it
  return h('section', { class: 'retraining', 'data-id': r.id, 'aria-labelledby': `r-${r.id}` },
    h('h3', { id: `r-${r.id}` }, `${when(r.created)} · `, status(r.status), ` · ${r.trigger.kind}: ${r.trigger.reason}`),
    facts([['Pipeline', h('code', {}, r.id)], ['Champion', r.champion ? `v${r.champion}` : '—'], ['Candidate', r.candidate ? `v${r.candidate}` : '—'],
      ['Outcome', r.reason ?? (running ? 'in progress' : '—')], ['Finished', r.finished ? when(r.finished) : null]]),
    running ? h('div', { class: 'actions', role: 'group', 'aria-label': 'Steer the canary' },
      controls.map(([label, event, cls]) => action(label, () => api(`api/pipelines/${enc(r.id)}/events/${event}`, { method: 'POST' }),
        { cls, confirmText: event === 'promote' || event === 'rollback' ? `${label} retraining ${r.id}?` : undefined }))) : '',
    table(null, ['When', 'Step', 'Weight', 'Detail', 'Checks'], r.steps.map(s => [when(s.at), s.step, s.weight === null || s.weight === undefined ? '' : `${s.weight}%`, s.detail,
      (s.checks ?? []).length === 0 ? '' : h('ul', {}, s.checks.map(c => h('li', {}, c.passed ? '✓ ' : '✗ ', `${c.check}: ${num(c.value)} (limit ${num(c.limit)})`)))]), { numeric: [2] }));
}
