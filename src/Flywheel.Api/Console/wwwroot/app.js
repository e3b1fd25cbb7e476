// The console's router: /console/{section}/{name...} loads {section}.js and renders it into <main>. Each page is a
// full navigation (the server answers every page path with this shell), so links, history and reloads just work.
import { h, errorBox, link, page } from './ui.js';

const sections = {
  datasets: 'Versions, column profiles, schema changes, quarantine and drift between versions',
  models: 'Versions, aliases over time, a metric across versions, cards and lineage',
  runs: 'Every trial: leaderboard, parameters and metrics side by side, filters',
  pipelines: 'Training and batch runs: live progress, approvals, termination',
  serving: 'Deployment routes and what each version served',
  monitoring: 'Latest drift verdicts and per-feature drift over time',
  retraining: 'Policies, retrainings and their canaries',
};

const main = document.getElementById('main');
const [section = '', ...args] = location.pathname.replace(/^\/console\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);

for (const a of document.querySelectorAll('.top nav a')) {
  if (section && a.getAttribute('href') === '/console/' + section) a.setAttribute('aria-current', 'page');
}

async function render() {
  if (!section) {
    document.title = 'Flywheel console';
    return [h('h1', {}, 'Flywheel console'),
      h('ul', { class: 'cards' }, Object.entries(sections).map(([s, what]) => h('li', {}, link(page(s), s[0].toUpperCase() + s.slice(1)), h('div', { class: 'muted' }, what))))];
  }
  if (!(section in sections)) return [h('h1', {}, 'Not found'), h('p', {}, `The console has no page '${section}'.`)];
  document.title = `${section[0].toUpperCase() + section.slice(1)}${args.length ? ' · ' + args.join(' · ') : ''} · Flywheel`;
  const module = await import(`./${section}.js`);
  const content = h('div');
  await module.render(content, args);
  return [...content.childNodes];
}

try {
  const nodes = await render();
  main.replaceChildren(...nodes);
} catch (e) {
  console.error(e); // a page that cannot render is an error, for people and the console tests alike
  main.replaceChildren(h('h1', {}, 'Something went wrong'), errorBox(e));
}
main.dataset.ready = 'true';
