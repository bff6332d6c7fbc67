import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueBatches, enqueue, outcomeEntry, reconcile, settle, summary, timingEntry } from '../../../extension/background/outbox.js';
import { endedRecord } from './records.mjs';

const NOW = Date.UTC(2026, 10, 20, 9, 0, 0);

test('a refused batch is retried later with backoff, keeping the same payload and idempotency key', () => {
  const record = endedRecord({ id: 'r1' });
  let outbox = enqueue([], [timingEntry(record, NOW)]);
  const sentKeys = [];
  let now = NOW;
  for (const attempt of [1, 2, 3]) {
    const [batch] = dueBatches(outbox, { r1: record }, { now });
    sentKeys.push(batch.entries[0].payload.idempotency_key);
    ({ outbox } = settle(outbox, batch.entries, { status: 503, error: { code: 'unavailable', message: 'down' } }, { now, random: () => 0.5 }));
    assert.equal(outbox[0].attempts, attempt);
    // Equal jitter at 0.5: three quarters of the ceiling 30 s x 2^(attempt-1).
    assert.equal(outbox[0].next_at - now, 0.75 * 30_000 * 2 ** (attempt - 1));
    assert.deepEqual(dueBatches(outbox, { r1: record }, { now }), [], 'nothing is due before the delay');
    now = outbox[0].next_at;
  }
  assert.deepEqual(new Set(sentKeys), new Set([record.idempotency_key]));
  ({ outbox } = settle(outbox, outbox, { status: 200, body: { accepted: 1, duplicates: 0 } }, { now }));
  assert.deepEqual(outbox, []);
});

test('Retry-After longer than the backoff wins', () => {
  const record = endedRecord({ id: 'r1' });
  const outbox = [timingEntry(record, NOW)];
  const { outbox: next } = settle(outbox, outbox, { status: 429, retryAfter: '600' }, { now: NOW, random: () => 0 });
  assert.equal(next[0].next_at, NOW + 600_000);
});

test('a 4xx other than 401/408/429 parks the record with its error instead of retrying forever', () => {
  const record = endedRecord({ id: 'r1' });
  const outbox = [timingEntry(record, NOW)];
  const answer = { status: 422, error: { code: 'invalid', message: 'ended_at is in the future' } };
  const { verdict, outbox: next } = settle(outbox, outbox, answer, { now: NOW });
  assert.equal(verdict, 'park');
  assert.equal(next[0].parked, true);
  assert.deepEqual(next[0].error, { status: 422, code: 'invalid', message: 'ended_at is in the future', at: NOW });
  assert.deepEqual(dueBatches(next, { r1: record }, { now: NOW + 365 * 86400_000, force: true }), []);
  assert.deepEqual(summary(next), { pending: 0, parked: 1, next_at: null });
});

test('a batch refused as a whole is split so one bad record does not park good ones', () => {
  const records = { a: endedRecord({ id: 'a' }), b: endedRecord({ id: 'b' }) };
  const outbox = [timingEntry(records.a, NOW), timingEntry(records.b, NOW)];
  const { verdict, outbox: unchanged } = settle(outbox, outbox, { status: 400 }, { now: NOW });
  assert.equal(verdict, 'split');
  assert.deepEqual(unchanged, outbox);
});

test('401 is retried (after registering again), never parked', () => {
  const record = endedRecord({ id: 'r1' });
  const outbox = [timingEntry(record, NOW)];
  const { outbox: next } = settle(outbox, outbox, { status: 401 }, { now: NOW, random: () => 0 });
  assert.equal(next[0].parked, false);
  assert.equal(next[0].attempts, 1);
});

test('outcomes wait until their timing is acknowledged', () => {
  const record = endedRecord({ id: 'r1', state: 'queued', outcome: 'submitted' });
  const later = { status: 'approved', at: NOW, state: 'queued' };
  const outbox = [outcomeEntry(record, later, NOW)];
  assert.deepEqual(dueBatches(outbox, { r1: record }, { now: NOW }), []);
  const [batch] = dueBatches(outbox, { r1: { ...record, state: 'synced' } }, { now: NOW });
  assert.equal(batch.kind, 'outcome');
  assert.equal(batch.entries[0].payload.idempotency_key, record.idempotency_key);
});

test('batches are cut at the batch size, timings before outcomes', () => {
  const records = Object.fromEntries(Array.from({ length: 250 }, (_, index) => [`r${index}`, endedRecord({ id: `r${index}` })]));
  const outbox = Object.values(records).map((record) => timingEntry(record, NOW));
  assert.deepEqual(dueBatches(outbox, records, { now: NOW }).map((batch) => batch.entries.length), [100, 100, 50]);
});

test('reconcile re-queues a record stranded between two writes and drops entries of deleted records', () => {
  const queued = endedRecord({ id: 'q', state: 'queued' });
  const orphan = timingEntry(endedRecord({ id: 'gone' }), NOW);
  const outbox = reconcile([orphan], { q: queued }, NOW);
  assert.deepEqual(outbox.map((entry) => entry.id), ['timing:q']);
  assert.equal(reconcile(outbox, { q: queued }, NOW), outbox, 'nothing to do: the same list');
});
