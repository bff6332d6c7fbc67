import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext } from '../../../extension/background/context.js';
import { SCORE_TTL_MS, scoreListings } from '../../../extension/background/scores.js';
import { fakeChrome, fakeClock, fakeFetch } from '../support/fake-chrome.mjs';
import { loadSchemas } from '../support/schemas.mjs';

const schemas = loadSchemas();
const listing = (id, amount = '1.00') => ({ platform: 'prolific', task_id: id, title: `Study ${id}`, reward: { amount, currency: 'GBP' } });
const score = (taskId) => ({ task_id: taskId, hourly: { median: '9.00', low: '7.00', high: '11.00', currency: 'GBP' }, duration_s: { median: 400, low: 300, high: 500 }, basis: 'task', reports: 4, warnings: [] });

function setup() {
  const clock = fakeClock();
  const fetchImpl = fakeFetch((path, body) => {
    if (path === '/v1/installs') return { status: 201, body: { install_id: 'i', token: 't' } };
    schemas.check('ScoreRequest', body);
    const answer = { scores: body.listings.map((item) => score(item.task_id)) };
    schemas.check('ScoreResponse', answer);
    return { status: 200, body: answer };
  });
  const context = createContext(fakeChrome(), { fetchImpl, now: clock });
  return { clock, fetchImpl, deps: () => context.deps() };
}

test('one request for a page\'s batch; a task is then served from the cache for a few minutes', async () => {
  const { clock, fetchImpl, deps } = setup();
  const first = await scoreListings(await deps(), [listing('a'), listing('b'), listing('a')], null);
  assert.deepEqual(first.scores.map((item) => item.task_id), ['a', 'b', 'a']);
  const scoreCalls = () => fetchImpl.calls.filter((call) => call.path === '/v1/score');
  assert.equal(scoreCalls().length, 1);
  assert.deepEqual(scoreCalls()[0].body.listings.map((item) => item.task_id), ['a', 'b'], 'a repeated task is asked once');

  clock.advance(SCORE_TTL_MS - 1);
  await scoreListings(await deps(), [listing('a'), listing('c')], null);
  assert.deepEqual(scoreCalls()[1].body.listings.map((item) => item.task_id), ['c']);

  clock.advance(2);
  await scoreListings(await deps(), [listing('a')], null);
  assert.deepEqual(scoreCalls()[2].body.listings.map((item) => item.task_id), ['a'], 'expired after the TTL');
  // A changed reward or threshold is another question.
  await scoreListings(await deps(), [listing('a', '2.00')], null);
  await scoreListings(await deps(), [listing('a', '2.00')], { amount: '10.00', currency: 'GBP' });
  assert.equal(scoreCalls().length, 5);
  assert.deepEqual(scoreCalls()[4].body.threshold, { amount: '10.00', currency: 'GBP' });
});

test('more listings than one request may carry are split at 200', async () => {
  const { fetchImpl, deps } = setup();
  const many = Array.from({ length: 450 }, (_, index) => listing(`t${index}`));
  const { scores } = await scoreListings(await deps(), many, null);
  assert.equal(scores.length, 450);
  assert.deepEqual(fetchImpl.calls.filter((call) => call.path === '/v1/score').map((call) => call.body.listings.length), [200, 200, 50]);
});

test('a failing service gives nulls and the error, and caches nothing', async () => {
  const clock = fakeClock();
  const fetchImpl = fakeFetch((path) => (path === '/v1/installs' ? { status: 201, body: { install_id: 'i', token: 't' } } : { status: 503, body: { error: { code: 'store_unavailable', message: 'busy' } } }));
  const context = createContext(fakeChrome(), { fetchImpl, now: clock });
  const result = await scoreListings(await context.deps(), [listing('a')], null);
  assert.deepEqual(result, { scores: [null], error: { status: 503, code: 'store_unavailable', message: 'busy' } });
  await scoreListings(await context.deps(), [listing('a')], null);
  assert.equal(fetchImpl.calls.filter((call) => call.path === '/v1/score').length, 2);
});
