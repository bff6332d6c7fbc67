// The popup's and options page's messages: corrections, pause reaching the tab, delete and
// export, settings checked before they are stored, the default threshold.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createContext } from '../../../../extension/background/context.js';
import { pageHandlers } from '../../../../extension/background/handlers/pages.js';
import { fakeChrome, fakeClock, fakeFetch } from '../../support/fake-chrome.mjs';
import { endedRecord } from '../records.mjs';

const WAGES = JSON.parse(readFileSync(new URL('../../../../server/data/minimum_wages.json', import.meta.url), 'utf8')).wages;

function setup(records = []) {
  const clock = fakeClock();
  const chrome = fakeChrome({ uiLanguage: 'fr-FR' });
  const fetchImpl = fakeFetch((path) => {
    if (path === '/v1/installs') return { status: 201, body: { install_id: 'i', token: 't' } };
    if (path === '/v1/minimum-wages') return { status: 200, body: { minimum_wages: WAGES } };
    return { status: 503, body: { error: { code: 'unavailable', message: 'down' } } };
  });
  const context = createContext(chrome, { fetchImpl, now: clock });
  chrome.storage.local.data.timings = Object.fromEntries(records.map((record) => [record.id, record]));
  chrome.storage.local.data.settings = { reviewMinutes: 10 };
  return { clock, chrome, context, handlers: pageHandlers(context) };
}

test('pausing a running timing tells its tab', async () => {
  const running = endedRecord({ id: 'run', state: 'running', ended_at: null, outcome: null, tab_id: 4 });
  const { chrome, handlers } = setup([running]);
  await handlers['timing.pause']({ id: 'run', paused: true });
  assert.deepEqual(chrome.tabs.sent, [{ tabId: 4, message: { type: 'timing.paused', record_id: 'run', paused: true } }]);
});

test('the worker ends a running timing with its outcome; it is queued at once and tried', async () => {
  const running = endedRecord({ id: 'run', state: 'running', ended_at: null, outcome: null, outcome_source: null, tab_id: 4 });
  const { context, handlers } = setup([running]);
  assert.deepEqual(await handlers['timing.correct']({ id: 'run', outcome: 'returned' }), { ok: true });
  const record = (await context.store.get('timings'))['run'];
  assert.deepEqual([record.state, record.outcome, record.outcome_source, record.error.status], ['queued', 'returned', 'worker', 503]);
  assert.equal((await context.store.get('outbox'))[0].payload.outcome, 'returned');
});

test('a queued or synced record can no longer be corrected or discarded; delete removes it locally', async () => {
  const { context, handlers } = setup([endedRecord({ id: 's', state: 'synced' }), endedRecord({ id: 'e', state: 'ended' })]);
  assert.deepEqual(await handlers['timing.correct']({ id: 's', outcome: 'returned' }), { error: { code: 'error_not_editable' } });
  assert.deepEqual(await handlers['timing.discard']({ id: 's' }), { error: { code: 'error_not_editable' } });
  assert.deepEqual(await handlers['timing.discard']({ id: 'e' }), { ok: true });
  assert.deepEqual(await handlers['records.delete']({ ids: ['s'] }), { deleted: 1 });
  assert.deepEqual(await context.store.get('timings'), {});
});

test('export gives the records, the queue and the sync status, never the token or the secret', async () => {
  const { context, handlers } = setup([endedRecord({ id: 'a' })]);
  await context.store.set('install', { token: 'SECRET-TOKEN', install_id: 'i', service: 'x' });
  await context.store.set('secret', 'f'.repeat(64));
  const exported = await handlers['records.export']();
  assert.deepEqual(Object.keys(exported).sort(), ['exported_at', 'extension_version', 'outbox', 'records', 'sync']);
  assert.ok(!JSON.stringify(exported).includes('SECRET-TOKEN'));
  assert.ok(!JSON.stringify(exported).includes('f'.repeat(64)));
});

test('settings are checked before they are stored', async () => {
  const { context, handlers } = setup();
  assert.deepEqual(await handlers['settings.update']({ patch: { serviceUrl: 'ftp://example.org' } }), { error: { code: 'error_service_url' } });
  assert.deepEqual(await handlers['settings.update']({ patch: { threshold: { amount: '9,40', currency: 'EUR' } } }), { error: { code: 'error_threshold_amount' } });
  assert.deepEqual(await handlers['settings.update']({ patch: { idleSeconds: 2 } }), { error: { code: 'error_idle_seconds' } });
  const { settings } = await handlers['settings.update']({ patch: { belowThreshold: 'dim', threshold: { amount: '9.40', currency: 'EUR', origin: 'worker' } } });
  assert.deepEqual([settings.belowThreshold, settings.threshold.amount, settings.serviceUrl], ['dim', '9.40', 'http://127.0.0.1:8080']);
  assert.equal((await context.store.get('settings')).belowThreshold, 'dim');
});

test('the default threshold is the minimum wage of the browser\'s country, from the service\'s table', async () => {
  const { handlers } = setup();
  const { settings } = await handlers['threshold.default']();
  const france = WAGES.find((row) => row.country === 'FR');
  assert.deepEqual([settings.threshold.amount, settings.threshold.currency, settings.threshold.source], [france.amount, 'EUR', france.source]);
});

test('the first run\'s default never replaces a threshold the worker chose meanwhile', async () => {
  const { handlers } = setup();
  await handlers['settings.update']({ patch: { threshold: { amount: '15.00', currency: 'EUR', origin: 'worker' } } });
  const { settings } = await handlers['threshold.default']({ onlyIfUnset: true });
  assert.deepEqual([settings.threshold.amount, settings.threshold.origin], ['15.00', 'worker']);
  // Asked for explicitly (the options page's button), the minimum wage does replace it.
  const replaced = await handlers['threshold.default']();
  assert.equal(replaced.settings.threshold.origin, 'minimum_wage');
});
