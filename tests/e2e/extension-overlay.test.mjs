// The overlay in a real Chromium on Prolific's studies page: (a) each badge carries the
// hourly figure the real service computed from timings seeded through its public API;
// (c) a study whose title holds markup shows it as text and runs none of it.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { eventually, launchWithExtension } from './support/browser.mjs';
import { seedTimings, serveProlific, study } from './support/prolific.mjs';
import { ROOT, startService } from './support/service.mjs';

const RESEARCHER = { id: '5f1e0c0a0b0c0d0e0f101112', name: 'Dr Example' };
const STUDIES = [
  study('64a1a1a1a1a1a1a1a1a1a1a1', { name: 'Short survey on sleep', pence: 100, minutes: 5, researcher: RESEARCHER }),
  study('64b2b2b2b2b2b2b2b2b2b2b2', { name: 'Memory game', pence: 150, minutes: 10, researcher: RESEARCHER }),
  study('64c3c3c3c3c3c3c3c3c3c3c3', { name: '<img src=x onerror="window.pwned=1">Images <script>window.pwned=2</script>', pence: 300, minutes: 15, researcher: RESEARCHER }),
  study('64d4d4d4d4d4d4d4d4d4d4d4', { name: 'Never timed yet', pence: 200, minutes: 20, researcher: RESEARCHER }),
];
const THRESHOLD = { amount: '10.00', currency: 'GBP', origin: 'worker' };

let service;
let browser;

before(async () => {
  service = await startService();
  // Sleep survey: ~10 min for £1 (6 £/h, below); memory game: ~8 min for £1.50 (11.25 £/h,
  // near 10 x 1.2); images: ~6 min for £3 (30 £/h, above). Five workers each.
  await seedTimings(service, { task_id: STUDIES[0].id, reward: { amount: '1.00', currency: 'GBP' }, activeSeconds: [560, 600, 610, 590, 640], requester_id: RESEARCHER.id });
  await seedTimings(service, { task_id: STUDIES[1].id, reward: { amount: '1.50', currency: 'GBP' }, activeSeconds: [470, 480, 490, 475, 485], requester_id: RESEARCHER.id });
  await seedTimings(service, { task_id: STUDIES[2].id, reward: { amount: '3.00', currency: 'GBP' }, activeSeconds: [350, 360, 365, 355, 370], requester_id: RESEARCHER.id });
  browser = await launchWithExtension();
  await browser.configure({ serviceUrl: service.url, threshold: THRESHOLD, language: 'en' });
  await serveProlific(browser.context, STUDIES);
  await mkdir(`${ROOT}/test-results`, { recursive: true });
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** What each badge shows, read from its open shadow root: band, icon/word, hourly text, and the panel a keyboard user opens. */
async function badges(page) {
  return page.evaluate(() => [...document.querySelectorAll('li[data-testid^="study-"]')].map((card) => {
    const host = card.querySelector('fairclick-badge');
    const root = host?.shadowRoot;
    root?.querySelector('.badge')?.focus();
    return {
      id: card.dataset.testid.slice('study-'.length),
      band: root?.querySelector('.fc')?.dataset.band ?? null,
      hourly: root?.querySelector('.hourly')?.textContent ?? null,
      word: root?.querySelector('.word')?.textContent ?? null,
      icon: root?.querySelector('.icon')?.textContent ?? null,
      panel: root?.querySelector('.panel')?.textContent ?? null,
      visible: host ? host.getBoundingClientRect().width > 0 && getComputedStyle(host).display !== 'none' : false,
    };
  }));
}

test('badges show the hourly median the service computed, coloured and worded against the threshold', async () => {
  const page = await browser.context.newPage();
  await page.goto('https://app.prolific.com/studies');
  const shown = await eventually(async () => {
    const found = await badges(page);
    return found.length === 4 && found.every((badge) => badge.band) ? found : null;
  }, { what: 'four badges' });

  const listings = STUDIES.map((item) => ({ platform: 'prolific', task_id: item.id, requester_id: RESEARCHER.id, reward: { amount: (item.study_reward.amount / 100).toFixed(2), currency: 'GBP' }, advertised_duration_s: item.estimated_completion_time * 60, time_allotted_s: item.maximum_allowed_time * 60 }));
  const token = await service.install();
  const { body } = await service.call('/v1/score', { token, body: { listings, threshold: { amount: THRESHOLD.amount, currency: 'GBP' } } });
  const pounds = (amount) => `${new Intl.NumberFormat('en', { style: 'currency', currency: 'GBP' }).format(Number(amount))}/h`;

  for (const [index, score] of body.scores.entries()) {
    assert.equal(shown[index].id, score.task_id);
    assert.ok(shown[index].visible, `badge of ${score.task_id} is visible despite the page's CSS`);
    if (score.hourly) assert.equal(shown[index].hourly, pounds(score.hourly.median));
    assert.match(shown[index].panel, new RegExp(`Workers' reports${score.reports}`));
  }
  assert.deepEqual(shown.slice(0, 3).map((badge) => [badge.band, badge.icon, badge.word]), [['below', '▼', 'low'], ['near', '≈', 'near'], ['above', '▲', 'ok']]);
  assert.equal(body.scores[0].basis, 'task');
  assert.notEqual(shown[3].band, null);

  // Hover: the panel gives the range and the basis in words.
  await page.evaluate(() => document.activeElement?.blur());
  const first = page.locator('li[data-testid^="study-"]').first().locator('fairclick-badge');
  await first.hover();
  await page.screenshot({ path: `${ROOT}/test-results/extension-overlay-prolific.png`, fullPage: true });
  const panelShown = await page.evaluate(() => {
    const panel = document.querySelector('fairclick-badge').shadowRoot.querySelector('.panel');
    return getComputedStyle(panel).display !== 'none' && panel.textContent;
  });
  assert.match(panelShown, /Likely range.*–/);
  assert.match(panelShown, /Based ontimings of this task/);
  await page.close();
});

test('a title holding markup is shown as text and runs nothing', async () => {
  const page = await browser.context.newPage();
  await page.goto('https://app.prolific.com/studies');
  const hostile = await eventually(async () => (await badges(page)).find((badge) => badge.id === STUDIES[2].id && badge.panel), { what: 'the hostile study badge' });
  assert.ok(hostile.panel.includes('<img src=x onerror="window.pwned=1">Images <script>window.pwned=2</script>'), hostile.panel);
  const injected = await page.evaluate(() => ({
    pwned: window.pwned ?? null,
    images: document.querySelectorAll('fairclick-badge').length && [...document.querySelectorAll('fairclick-badge')].reduce((count, host) => count + host.shadowRoot.querySelectorAll('img, script').length, 0),
  }));
  assert.deepEqual(injected, { pwned: null, images: 0 });
  await page.close();
});
