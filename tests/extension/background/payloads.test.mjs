// Every body the extension sends, built by the extension's own code, against the service's
// JSON Schemas: the two sides cannot drift apart without this failing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterHealthPayload, installRequest, listingPayload, outcomePayload, scoreRequest, timingPayload } from '../../../extension/background/payloads.js';
import { loadSchemas } from '../support/schemas.mjs';
import { endedRecord } from './records.mjs';

const schemas = loadSchemas();
const listing = {
  platform: 'prolific',
  task_id: '64a1a1a1a1a1a1a1a1a1a1a1',
  requester_id: '5f1e0c0a0b0c0d0e0f101112',
  requester_name: 'Dr Example',
  title: 'Study about <b>sleep</b>',
  reward: { amount: '1.35', currency: 'GBP' },
  advertised_duration_s: 600,
  time_allotted_s: 2400,
};

test('score requests validate, and carry neither titles nor requester names', () => {
  const body = scoreRequest([listing, { platform: 'generic:tasks.example.org', task_id: 'abc', reward: { amount: '0.5', currency: 'EUR' } }], { amount: '12.02', currency: 'EUR', origin: 'minimum_wage', source: 'décret' });
  schemas.check('ScoreRequest', body);
  assert.ok(!('title' in body.listings[0]) && !('requester_name' in body.listings[0]));
  assert.deepEqual(body.threshold, { amount: '12.02', currency: 'EUR' });
  schemas.check('Listing', listingPayload(listing));
});

test('timing batches validate and keep the contract\'s own rules (active <= wall, end after start)', () => {
  const records = [
    endedRecord(),
    endedRecord({ id: 'r2', requester_id: null, advertised_duration_s: null, time_allotted_s: null, assignment_hash: null, outcome: 'screened_out' }),
    // A clock quirk: more active than wall time is cut to the wall time, not refused.
    endedRecord({ id: 'r3', active_s: 9999, outcome: 'timed_out' }),
  ];
  const body = { timings: records.map(timingPayload) };
  schemas.check('TimingBatch', body);
  for (const timing of body.timings) {
    const elapsed = (Date.parse(timing.ended_at) - Date.parse(timing.started_at)) / 1000;
    assert.ok(timing.active_s <= timing.wall_s && timing.active_s <= elapsed + 60);
    assert.ok(!('title' in timing) && !('tab_id' in timing));
  }
});

test('outcome batches, install and adapter-health bodies validate', () => {
  const record = endedRecord({ state: 'synced' });
  schemas.check('OutcomeBatch', { outcomes: ['approved', 'rejected', 'paid'].map((status) => outcomePayload(record, { status, at: record.ended_at + 86400_000 })) });
  schemas.check('InstallRequest', installRequest('0.1.0'));
  schemas.check('AdapterHealth', adapterHealthPayload({ adapter: 'prolific', adapter_version: '1.0.0', listings_found: 0, blocks_seen: 12 }));
  assert.deepEqual(Object.keys(adapterHealthPayload({ adapter: 'mturk', listings_found: 0, page: '<html>' })).sort(), ['adapter', 'listings_found']);
});

test('a payload the service would refuse is caught here (the check can fail)', () => {
  assert.throws(() => schemas.check('Timing', { ...timingPayload(endedRecord()), reward: { amount: 1.5, currency: 'GBP' } }), /invalid/);
  assert.throws(() => schemas.check('ScoreRequest', { listings: [] }), /invalid/);
});
