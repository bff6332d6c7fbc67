// (b) A timed Prolific study reaches the service's database exactly once, although the
// service refused the first attempt (503), the worker was stopped, and the second
// attempt's acknowledgement was lost (stored, but answered 503).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launchWithExtension } from './support/browser.mjs';
import { serveProlific, study } from './support/prolific.mjs';
import { startRefusingProxy } from './support/refusing-proxy.mjs';
import { ROOT, startService } from './support/service.mjs';

const STUDY = study('64e5e5e5e5e5e5e5e5e5e5e5', { name: 'Reaction times', pence: 225, minutes: 12 });
// The participant id the platform's own answer carries: it must never leave the browser.
const PARTICIPANT_ID = '60aaaaaaaaaaaaaaaaaaaaaa';

let service;
let proxy;
let browser;

before(async () => {
  service = await startService();
  proxy = await startRefusingProxy(service.url, { '/v1/timings': ['refuse', 'lose'] });
  browser = await launchWithExtension();
  await browser.configure({ serviceUrl: proxy.url, reviewMinutes: 0, language: 'en' });
  await serveProlific(browser.context, [STUDY]);
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await service?.stop();
});

async function records() {
  return Object.values((await browser.storage('timings')) ?? {});
}

test('a timing survives a refusal, a stopped worker and a lost acknowledgement, and is stored once', async () => {
  // The worker sees the study in the list, then starts it.
  const task = await browser.context.newPage();
  await task.goto('https://app.prolific.com/studies');
  await eventually(() => task.locator('fairclick-badge').count(), { what: 'the study\'s badge' });
  await task.goto(`https://app.prolific.com/studies/${STUDY.id}`);
  const running = await eventually(async () => (await records()).find((record) => record.state === 'running' && record.assignment_hash), { what: 'a running timing' });
  assert.equal(running.task_id, STUDY.id);
  assert.equal(running.title, STUDY.name, 'named in the popup by the title its listing showed');
  assert.match(running.assignment_hash, /^[0-9a-f]{64}$/);
  await task.mouse.move(200, 200);
  await task.keyboard.press('Tab');

  // The worker says how it ended, in the popup.
  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl('extension/popup/popup.html'));
  const card = popup.locator(`article.record[data-record-id="${running.id}"]`);
  await card.locator('select[name="outcome"]').selectOption('submitted');
  await card.locator('button[type="submit"]').click();

  // First attempt: refused outright.
  const refused = await eventually(async () => (await records()).find((record) => record.id === running.id && record.state === 'queued' && record.error), { what: 'the first refusal' });
  assert.equal(refused.error.status, 503);
  await popup.reload();
  await eventually(async () => /unavailable \(error 503\)/.test(await popup.locator('#sync-status').textContent()), { what: 'the sync status in plain words' });
  await popup.screenshot({ path: `${ROOT}/test-results/extension-sync-popup-refused.png`, fullPage: true });

  // The browser stops the idle worker: the outbox is in storage, not in the worker's memory.
  await browser.worker.evaluate(() => { globalThis.startedBeforeTheStop = true; });
  await browser.stopWorker(popup);

  // Second attempt (a fresh worker): stored by the service, but the answer is lost.
  await popup.reload();
  await popup.locator('#sync-now').click();
  await eventually(() => proxy.seen.filter((request) => request.path === '/v1/timings').length >= 2, { what: 'the second attempt' });
  await eventually(async () => (await records()).find((record) => record.id === running.id)?.state === 'queued', { what: 'still queued' });
  assert.equal(await browser.worker.evaluate(() => globalThis.startedBeforeTheStop ?? false), false, 'a new worker took over');

  // Third attempt passes: the service recognises the key and counts nothing twice.
  await popup.locator('#sync-now').click();
  const synced = await eventually(async () => (await records()).find((record) => record.id === running.id && record.state === 'synced'), { what: 'the record synced' });
  assert.equal(synced.outcome, 'submitted');

  const attempts = proxy.seen.filter((request) => request.path === '/v1/timings');
  assert.deepEqual(attempts.map((request) => request.step), ['refuse', 'lose', 'pass']);
  const keys = attempts.map((request) => JSON.parse(request.body).timings.map((timing) => timing.idempotency_key));
  assert.deepEqual(keys, [[running.idempotency_key], [running.idempotency_key], [running.idempotency_key]]);
  assert.deepEqual(await service.query('SELECT COUNT(*) FROM timings WHERE task_id = ?', [STUDY.id]), [[1]]);
  assert.deepEqual(await service.query("SELECT value FROM counters WHERE name = 'timings'"), [[1]]);
  const [[stored]] = await service.query('SELECT outcome FROM timings WHERE task_id = ?', [STUDY.id]);
  assert.equal(stored, 'submitted');

  // Nothing the extension sent carries the participant's platform id or the raw submission id.
  for (const request of proxy.seen) {
    assert.ok(!request.body?.includes(PARTICIPANT_ID), `${request.path} carries the participant id`);
    assert.ok(!request.body?.includes('65b0c0ffee0000000000beef'), `${request.path} carries the raw submission id`);
  }
  await popup.reload();
  await popup.screenshot({ path: `${ROOT}/test-results/extension-sync-popup-sent.png`, fullPage: true });
});
