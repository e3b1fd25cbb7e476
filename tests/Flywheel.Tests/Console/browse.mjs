// Drives the web console in Debian's headless Chromium through puppeteer-core (pinned in the root package.json),
// for the console tests and bench/console.sh. One argument, a JSON spec:
//   {"chromium": "/usr/bin/chromium", "key": "optional API key", "steps": [
//     {"url": "...", "screenshot": "file.png", "waitForText": "text", "click": "Approve", "within": "css selector"}]}
// Prints one JSON array, a result per step: url, errors (page errors and console.error calls), failedLoads
// (responses of 400 and above, by URL), text (the page's visible text), firstPaintMs, sent (the click's outcome).
import puppeteer from 'puppeteer-core';

const spec = JSON.parse(process.argv[2]);
const timeout = spec.timeoutMs ?? 20000;
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

    const started = Date.now();
    await page.goto(step.url, { waitUntil: 'load', timeout });
    await page.waitForSelector('main[data-ready]', { timeout });
    const readyMs = Date.now() - started;
    if (step.waitForText) {
      await page.waitForFunction(t => document.body.innerText.includes(t), { timeout }, step.waitForText);
    }
    let sent = null;
    if (step.click) {
      const scope = step.within ?? 'main';
      await page.waitForFunction((s, label) => [...document.querySelectorAll(`${s} button`)].some(b => b.textContent.trim() === label && !b.disabled),
        { timeout }, scope, step.click);
      await page.evaluate((s, label) => [...document.querySelectorAll(`${s} button`)].find(b => b.textContent.trim() === label && !b.disabled).click(), scope, step.click);
      // The console's action buttons announce "<label>: sent" or "<label> failed: ..." in the status region.
      await page.waitForFunction(label => { const t = document.getElementById('status').textContent; return t.startsWith(`${label}: sent`) || t.startsWith(`${label} failed`); },
        { timeout }, step.click);
      sent = await page.$eval('#status', el => el.textContent);
    }
    const firstPaintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    if (step.screenshot) await page.screenshot({ path: step.screenshot, fullPage: true });
    results.push({ url: step.url, errors, failedLoads, text: await page.evaluate(() => document.body.innerText), firstPaintMs, readyMs, sent });
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
