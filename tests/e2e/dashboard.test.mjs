// The maintainers' dashboard in a real headless Chromium against the real service, with data
// seeded through the public API: every page renders, the charts draw the seeded numbers, a
// hostile flag comment stays inert, requests without a session or CSRF token are refused, and
// the open-data export leaves out what fewer than k installs reported. Screenshots of every
// page, light and dark, land in test-results/dashboard/ for review.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, startService } from './support/service.mjs';

const ADMIN_TOKEN = 'e2e-dashboard-admin-token-0123456789';
const SHOTS = join(ROOT, 'test-results', 'dashboard');
const PLATFORM = 'e2e-platform';
const HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">Asked for my bank login';
const DAY_MS = 86_400_000;

let service;
let browser;
let flagId;
const now = Date.now();
const utcDay = (time) => new Date(time).toISOString().slice(0, 10);

function timing(key, taskId, requesterId, reward, endedAt) {
  return {
    idempotency_key: key,
    platform: PLATFORM,
    task_id: taskId,
    requester_id: requesterId,
    reward: { amount: reward, currency: 'EUR' },
    active_s: 600,
    wall_s: 660,
    outcome: 'submitted',
    started_at: new Date(endedAt - 660_000).toISOString(),
    ended_at: new Date(endedAt).toISOString(),
    advertised_duration_s: 600,
  };
}

// Three installs did 'wide' (1.00 EUR for 10 min: 6.00 EUR/h) two days ago; two others did
// 'narrow' (3.00 EUR: 18.00 EUR/h) a minute ago. k is 3: 'narrow' and its requester stay private.
async function seed() {
  const tokens = [];
  for (let n = 0; n < 5; n += 1) tokens.push(await service.install());
  for (let n = 0; n < 5; n += 1) {
    const wide = n < 3;
    const body = { timings: [wide
      ? timing(`wide-${n}-000001`, 'wide', 'E2E requester A', '1.00', now - 2 * DAY_MS)
      : timing(`narrow-${n}-0001`, 'narrow', 'E2E requester B', '3.00', now - 60_000)] };
    const answer = await service.call('/v1/timings', { token: tokens[n], body });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  }
  for (const [taskId, requesterId, reward, reports] of [['wide', 'E2E requester A', '1.00', 3], ['narrow', 'E2E requester B', '3.00', 2]]) {
    const listing = { platform: PLATFORM, task_id: taskId, requester_id: requesterId, reward: { amount: reward, currency: 'EUR' } };
    await service.folded(tokens[0], listing, reports);
  }
  const flag = await service.call('/v1/flags', {
    token: tokens[0],
    body: { platform: PLATFORM, requester_id: 'E2E requester A', reason: 'phishing', comment: HOSTILE },
  });
  assert.equal(flag.status, 201);
  flagId = flag.body.flag_id;
  for (const found of [0, 0]) {
    const event = await service.call('/v1/adapter-health', { token: tokens[1], body: { adapter: 'e2e-adapter', listings_found: found } });
    assert.equal(event.status, 202);
  }
  return tokens;
}

let tokens;

before(async () => {
  service = await startService({ env: { FAIRCLICK_ADMIN_TOKEN: ADMIN_TOKEN, FAIRCLICK_OPEN_DATA_MIN_CONTRIBUTORS: '3' } });
  tokens = await seed();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

async function loggedIn(colorScheme = 'light') {
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  await page.goto(`${service.url}/dashboard/`);
  assert.match(page.url(), /\/dashboard\/login\?next=/);
  await page.fill('#token', ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${service.url}/dashboard/`);
  return { context, page, problems };
}

/** The values each chart on the page drew, in the order pygal drew them. */
async function chartValues(page) {
  return page.$$eval('figure.chart', (figures) => figures.map((figure) => ({
    title: figure.querySelector('figcaption').textContent,
    values: [...figure.querySelectorAll('svg desc.value')].map((desc) => desc.textContent),
    labels: [...figure.querySelectorAll('svg .axis.x text')].map((text) => text.textContent),
  })));
}

async function cells(page, tableId) {
  return page.$$eval(`#${tableId} tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())));
}

test('every page renders in light and dark, and screenshots are saved', async () => {
  for (const scheme of ['light', 'dark']) {
    const { context, page, problems } = await loggedIn(scheme);
    const pages = {
      overview: '/dashboard/',
      wages: '/dashboard/wages',
      requesters: '/dashboard/requesters',
      requester: `/dashboard/requesters/${PLATFORM}/${encodeURIComponent('E2E requester A')}`,
      adapters: '/dashboard/adapters',
      contributors: '/dashboard/contributors',
      moderation: '/dashboard/moderation',
    };
    for (const [name, path] of Object.entries(pages)) {
      const response = await page.goto(`${service.url}${path}`);
      assert.equal(response.status(), 200, path);
      assert.ok(await page.isVisible('main h1'), path);
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
    }
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, scheme === 'dark' ? 'rgb(21, 24, 28)' : 'rgb(251, 251, 250)');
    assert.deepEqual(problems, [], 'no script error, no blocked resource, no failed load');
    await context.close();
  }
});

test('the overview draws the seeded timings on the days they ended', async () => {
  const { context, page } = await loggedIn();
  assert.deepEqual(await cells(page, 'coverage'), [[PLATFORM, '5', '5', '5', '2', '2']]);
  const [timings, installs] = await chartValues(page);
  assert.equal(timings.title, 'Timings received per day');
  assert.equal(timings.values.length, 30);
  assert.equal(timings.values.at(-1), '2');
  assert.equal(timings.values.at(-3), '3');
  assert.equal(timings.values.filter((value) => value !== '0').length, 2);
  assert.equal(installs.values.at(-3), '3');
  const table = await page.$$eval('figure.chart details tbody tr', (rows) => rows.map((row) => row.textContent));
  assert.ok(table.some((row) => row.includes(utcDay(now - 2 * DAY_MS)) && row.includes('3')));
  await context.close();
});

test('the wages page weighs task hourly medians by reports', async () => {
  const { context, page } = await loggedIn();
  await page.goto(`${service.url}/dashboard/wages`);
  // 6.00 EUR/h for three reports, 18.00 for two: the median is 6.00, 60 % are below 12.02 EUR.
  assert.deepEqual(await cells(page, 'platform-wages'), [[PLATFORM, '2', '5', '6.00', '60 %', '60 %']]);
  const [histogram] = await chartValues(page);
  const at = (label) => histogram.values[histogram.labels.indexOf(label)];
  assert.equal(at('5–7.5'), '60');
  assert.equal(at('17.5–20'), '40');
  await context.close();
});

test('the requester table sorts with the keyboard', async () => {
  const { context, page } = await loggedIn();
  await page.goto(`${service.url}/dashboard/requesters`);
  await page.focus('#requesters th button[value="-hourly"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/sort=-hourly/);
  const rows = await cells(page, 'requesters');
  assert.deepEqual(rows.map((row) => row[0]), ['E2E requester B', 'E2E requester A']);
  assert.equal(await page.getAttribute('#requesters th[aria-sort]', 'aria-sort'), 'descending');
  await page.focus('#requesters th[aria-sort] button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/sort=hourly/);
  assert.deepEqual((await cells(page, 'requesters')).map((row) => row[0]), ['E2E requester A', 'E2E requester B']);
  await context.close();
});

test('a flag whose comment holds a script is shown as inert text, then approved into scores', async () => {
  const { context, page } = await loggedIn();
  await page.goto(`${service.url}/dashboard/moderation`);
  const flag = page.locator(`#flag-${flagId}`);
  assert.equal(await flag.locator('.comment').textContent(), HOSTILE);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('main script, main img').count(), 0);
  await flag.locator('button[value="approve"]').click();
  await page.waitForURL(/\/dashboard\/moderation/);
  assert.equal(await page.locator(`#flag-${flagId}`).count(), 0, 'no longer in the pending queue');
  const score = await service.call('/v1/score', {
    token: tokens[2],
    body: { listings: [{ platform: PLATFORM, task_id: 'wide', requester_id: 'E2E requester A', reward: { amount: '1.00', currency: 'EUR' } }] },
  });
  const flagged = score.body.scores[0].warnings.filter((warning) => warning.code === 'flagged');
  assert.deepEqual(flagged, [{ code: 'flagged', severity: 'danger', params: { reason: 'phishing', count: 1 } }]);
  await context.close();
});

test('the adapter page says which adapter stopped matching', async () => {
  const { context, page } = await loggedIn();
  await page.goto(`${service.url}/dashboard/adapters`);
  const [row] = await cells(page, 'adapters');
  assert.deepEqual(row.slice(0, 4), ['e2e-adapter', 'stopped matching', utcDay(Date.now()), 'never']);
  await context.close();
});

test('requests without a session or without the CSRF token are refused', async () => {
  for (const path of ['/dashboard/', '/dashboard/wages', '/dashboard/requesters', '/dashboard/adapters',
    '/dashboard/contributors', '/dashboard/moderation']) {
    const response = await fetch(`${service.url}${path}`, { redirect: 'manual' });
    assert.equal(response.status, 303, path);
    assert.match(response.headers.get('location'), /^\/dashboard\/login\?next=/);
  }
  const anonymous = await fetch(`${service.url}/dashboard/moderation/${flagId}`, {
    method: 'POST', body: new URLSearchParams({ action: 'hide' }), redirect: 'manual',
  });
  assert.equal(anonymous.status, 401);

  const { context, page } = await loggedIn();
  // The browser's own session, but a forged form: no CSRF token, then another site's Origin.
  const noToken = await page.request.post(`${service.url}/dashboard/moderation/${flagId}`, {
    form: { action: 'hide' }, headers: { Origin: service.url }, maxRedirects: 0,
  });
  assert.equal(noToken.status(), 403);
  const token = await page.inputValue('form.logout input[name="csrf_token"]');
  const otherSite = await page.request.post(`${service.url}/dashboard/moderation/${flagId}`, {
    form: { action: 'hide', csrf_token: token }, headers: { Origin: 'http://evil.example' }, maxRedirects: 0,
  });
  assert.equal(otherSite.status(), 403);
  const [[status]] = await service.query('SELECT status FROM flags WHERE flag_id = ?', [flagId]);
  assert.notEqual(status, 'hidden');
  await context.close();
});

test('the open-data export leaves out aggregates under k contributors', async () => {
  const json = await (await fetch(`${service.url}/v1/open/aggregates.json`)).json();
  assert.equal(json.min_contributors, 3);
  const rows = json.aggregates.map((row) => `${row.level}:${row.requester_id ?? ''}:${row.task_id ?? ''}`).sort();
  assert.deepEqual(rows, [`platform::`, 'requester:E2E requester A:', 'task:E2E requester A:wide']);
  const csv = await (await fetch(`${service.url}/v1/open/aggregates.csv`)).text();
  assert.ok(csv.includes('wide') && !csv.includes('narrow') && !csv.includes('E2E requester B'));
});
