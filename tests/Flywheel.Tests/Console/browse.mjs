// Drives the web console in Debian's headless Chromium through puppeteer-core (pinned in the root package.json),
// for the console tests and bench/console.sh. One argument, a JSON spec:
//   {"chromium": "/usr/bin/chromium", "key": "optional API key", "steps": [
//     {"url": "...", "screenshot": "file.png", "waitForText": "text", "click": "Approve", "within": "css selector"}]}
// Prints one JSON array, a result per step: url, errors (page errors and console.error calls), failedLoads
// (responses of 400 and above, by URL), text (the page's visible text), firstPaintMs, readyMs, sent (the click's outcome).
import puppeteer from 'puppeteer-core';

const spec = JSON.parse(process.argv[2]);
const timeout = spec.timeoutMs ?? 20000;

/** Loads the step's page until the console has rendered it, then waits and clicks as the step says. */
async function visit(page, step) {
  const started = Date.now();
  await page.goto(step.url, { waitUntil: 'load', timeout });
  await page.waitForSelector('main[data-ready]', { timeout });
  const readyMs = Date.now() - started;
  if (step.waitForText) {
    await page.waitForFunction(t => document.body.innerText.includes(t), { timeout }, step.waitForText);
  }
  if (!step.click) return { readyMs, sent: null };
  const scope = step.within ?? 'main';
  // The wait's value is the enabled button itself, so the click lands on exactly what was found.
  const button = await page.waitForFunction((s, label) => [...document.querySelectorAll(`${s} button`)].find(b => b.textContent.trim() === label && !b.disabled),
    { timeout }, scope, step.click);
  await button.evaluate(b => b.click());
  // The console's action buttons announce "<label>: sent" or "<label> failed: ..." in the status region.
  await page.waitForFunction(label => { const t = document.getElementById('status').textContent; return t.startsWith(`${label}: sent`) || t.startsWith(`${label} failed`); },
    { timeout }, step.click);
  return { readyMs, sent: await page.$eval('#status', el => el.textContent) };
}

const browser = await puppeteer.launch({
  executablePath: spec.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const results = [];
try {
  for (const step of spec.steps) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const errors = [];
    const failedLoads = [];
    page.on('pageerror', e => errors.push(`page error: ${e.message}`));
    page.on('console', m => {
      // Chromium logs each 4xx/5xx response as a console error too; those are reported apart, by URL, below.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', r => { if (r.status() >= 400) failedLoads.push(`${r.status()} ${r.url()}`); });
    page.on('requestfailed', r => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('dialog', d => d.accept());
    if (spec.key) await page.evaluateOnNewDocument(k => sessionStorage.setItem('flywheel.key', k), spec.key);

    let outcome;
    try {
      outcome = await visit(page, step);
    } catch (e) {
      // Keep what the page showed when a wait gave up: the screenshot and text say why far better than a timeout.
      if (step.screenshot) await page.screenshot({ path: step.screenshot, fullPage: true }).catch(() => {});
      const text = await page.evaluate(() => document.body.innerText).catch(() => '');
      throw new Error(`${step.url}: ${e.message}\nerrors: ${errors.join('; ')}\nfailed loads: ${failedLoads.join('; ')}\n${text}`);
    }
    const firstPaintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    if (step.screenshot) await page.screenshot({ path: step.screenshot, fullPage: true });
    results.push({ url: step.url, errors, failedLoads, text: await page.evaluate(() => document.body.innerText), firstPaintMs, ...outcome });
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
