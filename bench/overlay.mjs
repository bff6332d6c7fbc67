// Main-thread time to annotate 100 listings once their scores have arrived, in a real
// headless Chromium: badges built, placed in the page, and the page's style and layout
// recomputed (the badge is not on screen until that is done). Goal: <= 16 ms, one frame.
//
//   node bench/overlay.mjs            (npm run bench:overlay)
//
// Prints figures; asserts nothing. The page is a plain list of 100 cards served at a test
// origin; the overlay modules are the extension's own files.
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ORIGIN = 'https://bench.fairclick.test';
const LISTINGS = 100;
const RUNS = 30;
const TYPES = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html' };

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<style>body{font:14px sans-serif} li{border:1px solid #ccc;margin:6px;padding:6px;list-style:none}</style></head>
<body><ul id="list"></ul><script type="module">
import { createOverlay } from '/extension/content/overlay/overlay.js';
import { parseMessages, translator } from '/extension/shared/i18n.js';
const t = translator(parseMessages(await (await fetch('/_locales/en/messages.json')).json()));
const list = document.getElementById('list');
function cards() {
  list.replaceChildren();
  const entries = [];
  for (let index = 0; index < ${LISTINGS}; index += 1) {
    const item = document.createElement('li');
    const title = document.createElement('h3');
    title.textContent = 'Study number ' + index + ' about everyday decisions';
    const reward = document.createElement('span');
    reward.textContent = '£' + (1 + index % 7) + '.50 · ' + (5 + index % 20) + ' min';
    item.append(title, reward);
    list.append(item);
    entries.push({ listing: { platform: 'prolific', task_id: 'task' + index, title: title.textContent, reward: { amount: (1 + index % 7) + '.50', currency: 'GBP' } }, anchor: title, block: item });
  }
  return entries;
}
const scores = Array.from({ length: ${LISTINGS} }, (_, index) => ({
  task_id: 'task' + index,
  hourly: { median: (4 + index % 15) + '.25', low: '3.10', high: '22.40', currency: 'GBP' },
  effective_hourly: { amount: (3 + index % 15) + '.80', currency: 'GBP' },
  duration_s: { median: 420 + index, low: 300, high: 900 },
  basis: ['task', 'requester', 'platform', 'advertised'][index % 4],
  reports: index % 30,
  warnings: index % 3 ? [] : [
    { code: 'below_threshold', severity: 'danger', params: { hourly: '4.25', threshold: '10.00', currency: 'GBP', level: 'below' } },
    { code: 'screen_outs', severity: 'warn', params: { rate: 0.3, attempts: 20, scope: 'requester' } },
  ],
}));
window.measure = (settings) => {
  const entries = cards();
  document.body.getBoundingClientRect();
  const overlay = createOverlay({ document, t, language: 'en', settings: { threshold: { amount: '10.00', currency: 'GBP' }, ...settings }, signal: new AbortController().signal });
  const start = performance.now();
  overlay.annotate(entries, scores);
  const built = performance.now();
  document.body.getBoundingClientRect();
  const laidOut = performance.now();
  const count = document.querySelectorAll('fairclick-badge').length;
  overlay.clear();
  return { build: built - start, total: laidOut - start, count };
};
window.ready = true;
</script></body></html>`;

const percentile = (values, share) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(share * values.length))];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT)) return route.fulfill({ status: 403, body: '' });
    return route.fulfill({ contentType: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.ready === true);
  console.log(`Annotating ${LISTINGS} listings in Chromium ${browser.version()} (median and 95th percentile of ${RUNS} runs, after 5 warm-up runs):`);
  for (const [label, settings] of [
    ['badges only', { belowThreshold: 'show', sortByHourly: false }],
    ['badges + dim below threshold', { belowThreshold: 'dim', sortByHourly: false }],
    ['badges + sort by hourly', { belowThreshold: 'show', sortByHourly: true }],
  ]) {
    const runs = [];
    for (let run = 0; run < RUNS + 5; run += 1) runs.push(await page.evaluate((choice) => window.measure(choice), settings));
    const measured = runs.slice(5);
    if (measured.some((run) => run.count !== LISTINGS)) throw new Error(`expected ${LISTINGS} badges`);
    const build = measured.map((run) => run.build);
    const total = measured.map((run) => run.total);
    console.log(`  ${label.padEnd(30)} build ${percentile(build, 0.5).toFixed(1)} ms (p95 ${percentile(build, 0.95).toFixed(1)}), build + style + layout ${percentile(total, 0.5).toFixed(1)} ms (p95 ${percentile(total, 0.95).toFixed(1)})`);
  }
} finally {
  await browser.close();
}
