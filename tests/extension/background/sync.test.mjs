// The worker's sync from end to end, on in-memory browser storage and a scripted service:
// registration, batches, retries with stable keys, parking, re-registration on 401, and a
// fresh worker (same storage) picking up where a stopped one left off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext } from '../../../extension/background/context.js';
import { housekeeping } from '../../../extension/background/housekeeping.js';
import { StorageArea, fakeChrome, fakeClock, fakeFetch } from '../support/fake-chrome.mjs';
import { loadSchemas } from '../support/schemas.mjs';
import { endedRecord } from './records.mjs';

const schemas = loadSchemas();
const SERVICE = 'http://127.0.0.1:8080';

/** A worker on `local` storage with a scripted service; `answers[path]` is a list of statuses used in turn (then 200). */
function worker({ local = new StorageArea(), answers = {}, clock = fakeClock() } = {}) {
  const chrome = fakeChrome({ local });
  let tokens = 0;
  const fetchImpl = fakeFetch((path, body) => {
    if (path === '/v1/installs') {
      schemas.check('InstallRequest', body);
      tokens += 1;
      return { status: 201, body: { install_id: `install-${tokens}`, token: `token-${tokens}` } };
    }
    const status = answers[path]?.shift() ?? 200;
    if (status === 'network') return new TypeError('Failed to fetch');
    if (status !== 200) return { status, body: { error: { code: `code_${status}`, message: `refused with ${status}` } }, headers: status === 503 ? { 'retry-after': '5' } : {} };
    if (path === '/v1/timings') {
      schemas.check('TimingBatch', body);
      return { status: 200, body: { accepted: body.timings.length, duplicates: 0 } };
    }
    if (path === '/v1/outcomes') {
      schemas.check('OutcomeBatch', body);
      return { status: 200, body: { accepted: body.outcomes.length, duplicates: 0 } };
    }
    return { status: 404, body: { error: { code: 'not_found', message: path } } };
  });
  const context = createContext(chrome, { fetchImpl, now: clock, random: () => 0.5 });
  return { chrome, context, fetchImpl, clock, local };
}

async function withRecords(local, records) {
  await local.set({ timings: Object.fromEntries(records.map((record) => [record.id, record])), settings: { serviceUrl: SERVICE, reviewMinutes: 0 } });
}

const timingCalls = (fetchImpl) => fetchImpl.calls.filter((call) => call.path === '/v1/timings');

test('first run registers, keeps the token, and sends reviewed records in one batch', async () => {
  const { context, fetchImpl, local } = worker();
  await withRecords(local, [endedRecord({ id: 'a' }), endedRecord({ id: 'b', outcome: 'returned' }), endedRecord({ id: 'c', outcome: null })]);
  const result = await housekeeping(context);
  assert.equal(result.sent, 2);
  assert.deepEqual(fetchImpl.calls.map((call) => call.path), ['/v1/installs', '/v1/timings']);
  assert.equal(timingCalls(fetchImpl)[0].headers.authorization, 'Bearer token-1');
  const stored = (await local.get('timings')).timings;
  assert.deepEqual([stored.a.state, stored.b.state, stored.c.state], ['synced', 'synced', 'ended']);
  assert.equal((await local.get('install')).install.token, 'token-1');
  assert.deepEqual((await local.get('outbox')).outbox, []);
  // The record without an ending waits for the worker: the toolbar says so.
  assert.equal(context.chrome.action.badge, '1');
});

test('a 503 is retried after the backoff with the same idempotency key, by a fresh worker on the same storage', async () => {
  const clock = fakeClock();
  const first = worker({ answers: { '/v1/timings': [503] }, clock });
  await withRecords(first.local, [endedRecord({ id: 'a' })]);
  await housekeeping(first.context);
  const [entry] = (await first.local.get('outbox')).outbox;
  assert.equal(entry.attempts, 1);
  // Equal jitter at 0.5 of the first 30 s ceiling is 22.5 s, longer than Retry-After (5 s).
  assert.equal(entry.next_at, clock() + 22_500);
  assert.equal(first.chrome.alarms.all.get('retry').when, clock() + 22_500);
  assert.equal((await first.local.get('sync')).sync.last_error.status, 503);

  // The browser stops the worker; a new one starts later on the same storage.
  clock.advance(10_000);
  const second = worker({ local: first.local, clock });
  assert.deepEqual((await housekeeping(second.context)).sent, 0, 'not due yet');
  clock.advance(12_500);
  assert.equal((await housekeeping(second.context)).sent, 1);
  assert.deepEqual(second.fetchImpl.calls.map((call) => call.path), ['/v1/timings'], 'the token was kept: no new registration');
  const keys = [...timingCalls(first.fetchImpl), ...timingCalls(second.fetchImpl)].map((call) => call.body.timings[0].idempotency_key);
  assert.deepEqual(keys, ['key-a-0000', 'key-a-0000']);
  assert.equal((await second.local.get('sync')).sync.last_error, null);
});

test('"Send now" ignores the backoff; a network failure is retried, not parked', async () => {
  const { context, fetchImpl, local } = worker({ answers: { '/v1/timings': ['network', 'network'] } });
  await withRecords(local, [endedRecord({ id: 'a' })]);
  await housekeeping(context);
  await housekeeping(context, { force: true });
  const [entry] = (await local.get('outbox')).outbox;
  assert.deepEqual([entry.attempts, entry.parked, entry.error.status], [2, false, 0]);
  await housekeeping(context, { force: true });
  assert.equal(timingCalls(fetchImpl).length, 3);
  assert.equal((await local.get('timings')).timings.a.state, 'synced');
});

test('a refused batch is split: the bad record is parked with its error, the good one is stored', async () => {
  const { context, fetchImpl, local } = worker({ answers: { '/v1/timings': [422, 200, 422] } });
  await withRecords(local, [endedRecord({ id: 'good' }), endedRecord({ id: 'bad' })]);
  await housekeeping(context);
  assert.deepEqual(timingCalls(fetchImpl).map((call) => call.body.timings.length), [2, 1, 1]);
  const { timings } = await local.get('timings');
  assert.equal(timings.good.state, 'synced');
  assert.equal(timings.bad.state, 'parked');
  assert.deepEqual({ status: timings.bad.error.status, message: timings.bad.error.message }, { status: 422, message: 'refused with 422' });
  // Parked means parked: later runs do not send it again.
  await housekeeping(context, { force: true });
  assert.equal(timingCalls(fetchImpl).length, 3);
});

test('a 401 drops the token, registers again and resends at once', async () => {
  const { context, fetchImpl, local } = worker({ answers: { '/v1/timings': [401] } });
  await withRecords(local, [endedRecord({ id: 'a' })]);
  await housekeeping(context);
  assert.deepEqual(fetchImpl.calls.map((call) => [call.path, call.headers.authorization ?? null]), [
    ['/v1/installs', null], ['/v1/timings', 'Bearer token-1'], ['/v1/installs', null], ['/v1/timings', 'Bearer token-2'],
  ]);
  assert.equal((await local.get('timings')).timings.a.state, 'synced');
});

test('approved / rejected / paid go to /v1/outcomes under the timing\'s key, after the timing', async () => {
  const { context, fetchImpl, local } = worker();
  await withRecords(local, [endedRecord({ id: 'a', state: 'queued', outcomes: [{ status: 'approved', at: Date.UTC(2026, 10, 21), state: 'queued', error: null }] })]);
  await housekeeping(context);
  assert.deepEqual(fetchImpl.calls.map((call) => call.path), ['/v1/installs', '/v1/timings', '/v1/outcomes']);
  const outcome = fetchImpl.calls.at(-1).body.outcomes[0];
  assert.deepEqual([outcome.idempotency_key, outcome.status], ['key-a-0000', 'approved']);
  assert.equal((await local.get('timings')).timings.a.outcomes[0].state, 'synced');
});

test('registration failing leaves everything queued, with the error for the popup', async () => {
  const { context, local } = worker();
  await withRecords(local, [endedRecord({ id: 'a' })]);
  context.fetchImpl = null;
  const failing = createContext(context.chrome, { fetchImpl: fakeFetch(() => ({ status: 503, body: { error: { code: 'store_unavailable', message: 'database busy' } } })), now: context.now, random: () => 0 });
  const result = await housekeeping(failing);
  assert.equal(result.error.status, 503);
  const [entry] = (await local.get('outbox')).outbox;
  assert.deepEqual([entry.attempts, entry.parked], [1, false]);
});
