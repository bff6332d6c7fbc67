import test from 'node:test';
import assert from 'node:assert/strict';
import { buildListing, cleanText, genericPlatform, stableHash } from '../../../extension/content/detect/listing.js';
import { assertValid } from '../adapters/support.mjs';

const base = { platform: 'generic:example.org', task_id: 't1', reward: { amount: '0.50', currency: 'EUR' } };

test('a listing needs a platform, a task id and a reward the contract accepts', () => {
  assert.deepEqual(buildListing(base), base);
  assert.equal(buildListing({ ...base, platform: 'Generic Example' }), null);
  assert.equal(buildListing({ ...base, platform: 'x'.repeat(81) }), null);
  assert.equal(buildListing({ ...base, task_id: '   ' }), null);
  assert.equal(buildListing({ ...base, reward: { amount: '0.5.0', currency: 'EUR' } }), null);
  assert.equal(buildListing({ ...base, reward: { amount: 0.5, currency: 'EUR' } }), null, 'a number is not an amount');
  assert.equal(buildListing({ ...base, reward: { amount: '0.50', currency: 'EURO' } }), null);
  assert.equal(buildListing({ ...base, reward: { amount: '0.50', currency: 'ZZZ' } }), null, 'not an ISO 4217 code');
  assert.equal(buildListing({ ...base, reward: null }), null);
});

test('optional fields that do not fit the contract are left out, never guessed', () => {
  const listing = buildListing({ ...base, advertised_duration_s: 0, time_allotted_s: 604801, requester_id: '', title: '\u0000 ', requester_name: null });
  assert.deepEqual(listing, base);
  assert.equal(buildListing({ ...base, advertised_duration_s: 1.4 }).advertised_duration_s, 1);
  assert.equal(buildListing({ ...base, time_allotted_s: 604800 }).time_allotted_s, 604800);
  assert.equal('advertised_duration_s' in buildListing({ ...base, advertised_duration_s: Number.NaN }), false);
});

test('page text is bounded, single-line and free of invisible controls', () => {
  const listing = buildListing({ ...base, title: `  Survey\n\t about\u202e sleep ${'é'.repeat(400)}`, requester_name: 'R'.repeat(250), task_id: 'x'.repeat(200), requester_id: 'y'.repeat(129) });
  assert.ok(listing.title.startsWith('Survey about sleep é'));
  assert.equal(Array.from(listing.title).length, 300);
  assert.equal(listing.requester_name.length, 200);
  assert.match(listing.task_id, /^h:[0-9a-f]{16}$/, 'an over-long id is hashed, not cut into a colliding prefix');
  assert.match(listing.requester_id, /^h:[0-9a-f]{16}$/);
  assertValid('Listing', listing);
  assert.equal(cleanText('a\u200bb\u2066c'), 'a b c');
  assert.equal(cleanText('🙂'.repeat(5), 3), '🙂🙂🙂', 'cut between characters, not inside one');
});

test('the hash is stable and the generic platform stays within the contract', () => {
  assert.equal(stableHash('hello'), 'a430d84680aabd0b', '64-bit FNV-1a of "hello"');
  assert.notEqual(stableHash('a'), stableHash('b'));
  assert.equal(genericPlatform('Tasks.Example.org:8443'), 'generic:tasks.example.org:8443');
  assert.match(genericPlatform(`${'a'.repeat(80)}.example`), /^generic:h[0-9a-f]{16}$/);
  assertValid('Listing', { ...base, platform: genericPlatform('www.mturk.com') });
});
