import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESUME_WINDOW_MS, STALE_MS, addLaterStatus, beat, correct, end, hint, needsAnswer, setPaused, startOrResume, sweep } from '../../../extension/background/timings.js';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const REVIEW = 5 * 60_000;
const task = {
  platform: 'mturk',
  task_id: '3AAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  requester_id: 'A1REQUESTER',
  reward: { amount: '0.50', currency: 'USD' },
  time_allotted_s: 1800,
  // Whatever else an adapter adds must not enter a record.
  worker_id: 'A2WORKERID',
  assignment_id: '3ASSIGNMENT',
};
let counter = 0;
const newId = () => `id-${(counter += 1)}`;

function started(now = T0, extra = {}) {
  const { records, record } = startOrResume({}, { task, assignmentHash: 'f'.repeat(64), tabId: 3, now, newId, ...extra });
  return { records, id: record.id, record };
}

test('a record keeps the task fields and never the worker id or the raw assignment id', () => {
  const { record } = started();
  assert.equal(record.state, 'running');
  assert.equal(record.assignment_hash, 'f'.repeat(64));
  assert.ok(!JSON.stringify(record).includes('A2WORKERID'));
  assert.ok(!JSON.stringify(record).includes('3ASSIGNMENT'));
  assert.notEqual(record.id, record.idempotency_key);
});

test('heartbeats raise the active time; the end fixes it and waits for review', () => {
  let { records, id } = started();
  records = beat(records, { id, activeSeconds: 30, now: T0 + 40_000 });
  records = beat(records, { id, activeSeconds: 20, now: T0 + 45_000 }); // a stale beat never lowers it
  assert.equal(records[id].active_s, 30);
  records = end(records, { id, activeSeconds: 50, now: T0 + 60_000, outcome: 'submitted', reviewMs: REVIEW });
  assert.deepEqual([records[id].state, records[id].active_s, records[id].outcome, records[id].ended_at], ['ended', 50, 'submitted', T0 + 60_000]);
  assert.deepEqual(sweep(records, { now: T0 + 60_000 + REVIEW - 1, reviewMs: REVIEW }).ready, []);
  const { ready, records: swept } = sweep(records, { now: T0 + 60_000 + REVIEW, reviewMs: REVIEW });
  assert.deepEqual(ready.map((record) => record.id), [id]);
  assert.equal(swept[id].state, 'queued');
});

test('reloading the task page resumes the same record', () => {
  let { records, id } = started();
  records = beat(records, { id, activeSeconds: 120, now: T0 + 130_000 });
  records = end(records, { id, activeSeconds: 120, now: T0 + 131_000, reviewMs: REVIEW });
  const again = startOrResume(records, { task, assignmentHash: 'f'.repeat(64), tabId: 3, now: T0 + 140_000, newId });
  assert.equal(again.record.id, id);
  assert.equal(again.record.active_s, 120);
  assert.equal(again.record.state, 'running');
  // Another attempt at the same task (another assignment), or long after, is a new record.
  assert.notEqual(startOrResume(records, { task, assignmentHash: 'e'.repeat(64), now: T0 + 140_000, newId }).record.id, id);
  assert.notEqual(startOrResume(records, { task, assignmentHash: 'f'.repeat(64), now: T0 + 131_000 + RESUME_WINDOW_MS + 1, newId }).record.id, id);
});

test('a record whose tab went silent ends where it was last heard from; without an ending it waits for the worker', () => {
  let { records, id } = started();
  records = beat(records, { id, activeSeconds: 200, now: T0 + 300_000 });
  const { records: swept, ready } = sweep(records, { now: T0 + 300_000 + STALE_MS + 1, reviewMs: REVIEW });
  assert.deepEqual([swept[id].state, swept[id].ended_at, swept[id].outcome], ['ended', T0 + 300_000, null]);
  assert.deepEqual(ready, []);
  assert.deepEqual(needsAnswer(swept).map((record) => record.id), [id]);
});

test('past the time allotted, an unanswered ending is "timed out"', () => {
  const { records, id } = started();
  const ended = end(records, { id, activeSeconds: 900, now: T0 + 1800_000, reviewMs: REVIEW });
  assert.deepEqual([ended[id].outcome, ended[id].outcome_source], ['timed_out', 'timer']);
});

test('an adapter hint ends the running record of that tab; the worker\'s own answer is never overridden', () => {
  let { records, id } = started();
  records = hint(records, { platform: 'mturk', tabId: 3, outcome: 'returned', now: T0 + 60_000, reviewMs: REVIEW });
  assert.deepEqual([records[id].state, records[id].outcome], ['ended', 'returned']);
  ({ records } = correct(records, { id, outcome: 'submitted', now: T0 + 70_000, reviewMs: REVIEW }));
  records = hint(records, { platform: 'mturk', tabId: 3, outcome: 'returned', now: T0 + 80_000, reviewMs: REVIEW });
  assert.equal(records[id].outcome, 'submitted');
  assert.equal(hint(records, { platform: 'mturk', tabId: 3, outcome: 'bogus', now: T0, reviewMs: REVIEW }), records);
});

test('the worker pauses, corrects and may not exceed the wall time', () => {
  let { records, id } = started();
  records = setPaused(records, { id, paused: true });
  assert.equal(records[id].paused, true);
  records = end(records, { id, activeSeconds: 100, now: T0 + 600_000, reviewMs: REVIEW });
  const tooLong = correct(records, { id, activeSeconds: 601, now: T0 + 700_000, reviewMs: REVIEW });
  assert.equal(tooLong.error, 'error_active_time');
  assert.equal(tooLong.records, records);
  const fixed = correct(records, { id, activeSeconds: 420, outcome: 'screened_out', now: T0 + 700_000, reviewMs: REVIEW });
  assert.equal(fixed.error, null);
  assert.deepEqual([fixed.records[id].active_s, fixed.records[id].outcome, fixed.records[id].corrected, fixed.records[id].review_until], [420, 'screened_out', true, T0 + 700_000]);
  // Once queued, it can no longer be changed.
  const queued = sweep(fixed.records, { now: T0 + 700_000, reviewMs: REVIEW }).records;
  assert.equal(correct(queued, { id, outcome: 'returned', now: T0 + 800_000, reviewMs: REVIEW }).error, 'error_not_editable');
});

test('later news (approved, rejected, paid) is added once, and only to submitted work', () => {
  let { records, id } = started();
  records = end(records, { id, activeSeconds: 100, now: T0 + 600_000, outcome: 'submitted', reviewMs: 0 });
  records = sweep(records, { now: T0 + 600_000, reviewMs: 0 }).records;
  const first = addLaterStatus(records, { id, status: 'approved', now: T0 + 86400_000 });
  assert.equal(first.added.status, 'approved');
  assert.equal(addLaterStatus(first.records, { id, status: 'approved', now: T0 + 86400_000 }).added, null);
  assert.equal(addLaterStatus(first.records, { id, status: 'refunded', now: T0 }).added, null);
});

test('a task an adapter described without id or reward starts nothing', () => {
  assert.equal(startOrResume({}, { task: { platform: 'mturk', reward: { amount: '1', currency: 'USD' } }, now: T0, newId }).record, null);
  assert.equal(startOrResume({}, { task: { platform: 'mturk', task_id: 'x' }, now: T0, newId }).record, null);
});

test('a study tab keeps a silent record running; the platform page shown in a study tab ends it', () => {
  let { records, id } = started();
  records = { ...records, [id]: { ...records[id], study_tabs: [8] } };
  const swept = sweep(records, { now: T0 + STALE_MS * 10, reviewMs: REVIEW }).records;
  assert.equal(swept[id].state, 'running', 'a hidden platform tab reports seldom while the worker is in the study');
  const hinted = hint(swept, { platform: 'mturk', tabId: 8, outcome: 'submitted', now: T0 + 60_000, reviewMs: REVIEW });
  assert.deepEqual([hinted[id].state, hinted[id].outcome], ['ended', 'submitted']);
});

test('ending a record closes its tabs\' segment in front; pausing closes it too', () => {
  let { records, id } = started();
  records = { ...records, [id]: { ...records[id], foreground_ms: 60_000, foreground_since: T0 + 100_000 } };
  const paused = setPaused(records, { id, paused: true, now: T0 + 160_000 });
  assert.deepEqual([paused[id].foreground_ms, paused[id].foreground_since, paused[id].active_s], [120_000, null, 120]);
  const ended = end(records, { id, activeSeconds: 30, now: T0 + 400_000, reviewMs: REVIEW });
  assert.deepEqual([ended[id].active_s, ended[id].foreground_since], [360, null]);
});
