// Content scripts' messages to the worker, on in-memory storage: a task page's timing from
// start to end, the hashing of the assignment id, and what hello gives the overlay.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createContext } from '../../../../extension/background/context.js';
import { contentHandlers } from '../../../../extension/background/handlers/content.js';
import { tabHandlers } from '../../../../extension/background/handlers/tabs.js';
import { fakeChrome, fakeClock, fakeFetch } from '../../support/fake-chrome.mjs';

const catalogue = (language) => readFileSync(new URL(`../../../../_locales/${language}/messages.json`, import.meta.url), 'utf8');

function setup({ answers = () => ({ status: 503, body: {} }) } = {}) {
  const clock = fakeClock();
  const chrome = fakeChrome({ uiLanguage: 'fr-FR' });
  const fetchImpl = fakeFetch((path, body) => {
    if (path.startsWith('/_locales/')) return { status: 200, body: JSON.parse(catalogue(path.split('/')[2])) };
    if (path === '/v1/installs') return { status: 201, body: { install_id: 'i', token: 't' } };
    return answers(path, body);
  });
  // Extension files are fetched by URL like the service: route them in the same fake.
  const fetchBoth = (url, init) => fetchImpl(String(url).replace('chrome-extension://test-extension', 'http://files'), init);
  fetchBoth.calls = fetchImpl.calls;
  const context = createContext(chrome, { fetchImpl: fetchBoth, now: clock });
  return { clock, chrome, context, handlers: contentHandlers(context), fetchImpl };
}

const TASK = { platform: 'mturk', task_id: '3HITSET', requester_id: 'A1REQ', reward: { amount: '0.50', currency: 'USD' }, assignment_id: '3RAWASSIGNMENT' };
const tab = { tab: { id: 12 } };

test('hello gives the page its language, catalogue and settings; the browser language is the default', async () => {
  const { handlers } = setup();
  const hello = await handlers.hello({ url: 'https://worker.mturk.com/' });
  assert.equal(hello.language, 'fr');
  assert.match(hello.messages.band_below.message, /Sous votre seuil/);
  assert.equal(hello.generic, false);
  assert.deepEqual(Object.keys(hello.settings).sort(), ['belowThreshold', 'idleSeconds', 'platforms', 'sortByHourly', 'threshold']);
});

test('a task page is timed: the raw assignment id is hashed, never stored; the title comes from the listing seen', async () => {
  const { clock, context, handlers } = setup({ answers: () => ({ status: 503, body: {} }) });
  await handlers.score({ listings: [{ platform: 'mturk', task_id: '3HITSET', title: 'Transcribe receipts', reward: TASK.reward }] });
  const started = await handlers['timing.start']({ task: TASK, assignment_id: TASK.assignment_id }, tab);
  assert.deepEqual([started.active_s, started.paused], [0, false]);
  clock.advance(30_000);
  assert.deepEqual(await handlers['timing.beat']({ record_id: started.record_id, active_s: 25 }), { paused: false, running: true });
  clock.advance(30_000);
  await handlers['timing.end']({ record_id: started.record_id, active_s: 50, outcome: null });
  const records = await context.store.get('timings', {});
  const record = records[started.record_id];
  assert.deepEqual([record.state, record.active_s, record.title], ['ended', 50, 'Transcribe receipts']);
  assert.match(record.assignment_hash, /^[0-9a-f]{64}$/);
  const everything = JSON.stringify(await context.chrome.storage.local.get(null));
  assert.ok(!everything.includes('3RAWASSIGNMENT'));
});

test('closing the tab ends its running record at the last heartbeat', async () => {
  const { clock, context, handlers } = setup();
  const started = await handlers['timing.start']({ task: TASK }, tab);
  clock.advance(20_000);
  await handlers['timing.beat']({ record_id: started.record_id, active_s: 18 });
  const lastSeen = clock();
  clock.advance(60_000);
  await tabHandlers(context).removed(12);
  const record = (await context.store.get('timings', {}))[started.record_id];
  assert.deepEqual([record.state, record.ended_at, record.active_s], ['ended', lastSeen, 18]);
});

test('adapter health is sent at most once an hour per adapter, counts only', async () => {
  const sent = [];
  const { clock, handlers } = setup({ answers: (path, body) => { sent.push([path, body]); return { status: 202, body: null }; } });
  assert.deepEqual(await handlers['adapter-health']({ adapter: 'prolific', adapter_version: '1.0.0', listings_found: 0, blocks_seen: 0, url: 'https://app.prolific.com/studies?secret=1' }), { sent: true });
  assert.deepEqual(await handlers['adapter-health']({ adapter: 'prolific', listings_found: 0 }), { sent: false });
  clock.advance(3600_000);
  assert.deepEqual(await handlers['adapter-health']({ adapter: 'prolific', listings_found: 0 }), { sent: true });
  assert.deepEqual(sent[0], ['/v1/adapter-health', { adapter: 'prolific', adapter_version: '1.0.0', listings_found: 0 }]);
});
