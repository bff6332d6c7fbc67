import test from 'node:test';
import assert from 'node:assert/strict';
import { ADAPTERS, adapterFor, adapterHealth, matchesPattern, readAllListings, readListingsSafely, readTaskSafely } from '../../../extension/content/adapters/registry.js';
import prolific from '../../../extension/content/adapters/prolific.js';
import mturk from '../../../extension/content/adapters/mturk.js';
import { assertValid, openPage, readJson, validListings } from './support.mjs';

const PROLIFIC_LIST = 'https://app.prolific.com/studies';

test('adapterFor picks the adapter by match pattern, and none for an unknown site', () => {
  assert.equal(adapterFor('https://app.prolific.com/studies'), prolific);
  assert.equal(adapterFor(new URL('https://worker.mturk.com/projects?page_number=2')), mturk);
  assert.equal(adapterFor('https://www.example.fr/missions'), null);
  assert.equal(adapterFor('http://app.prolific.com/studies'), null, 'the pattern says https');
  assert.equal(adapterFor('https://app.prolific.com.evil.example/studies'), null);
  assert.equal(adapterFor('not a url'), null);
  assert.deepEqual(readAllListings(null, 'not a url', {}), []);
  assert.deepEqual(readAllListings(null, 'about:blank', {}), []);
});

test('match patterns follow the WebExtension rules for scheme, host and path', () => {
  assert.equal(matchesPattern('*://*.example.com/tasks/*', 'http://www.example.com/tasks/1?x=1'), true);
  assert.equal(matchesPattern('*://*.example.com/tasks/*', 'https://example.com/tasks/'), true);
  assert.equal(matchesPattern('*://*.example.com/tasks/*', 'https://example.com/other'), false);
  assert.equal(matchesPattern('https://worker.mturk.com/*', 'https://worker.mturk.com/'), true);
  assert.throws(() => matchesPattern('worker.mturk.com', 'https://worker.mturk.com/'), /not a match pattern/);
});

const throwing = {
  id: 'broken',
  version: '0.0.1',
  platform: 'broken',
  matches: ['https://app.prolific.com/*'],
  urls: [],
  isListPage: () => true,
  isTaskPage: () => true,
  readListings() {
    throw new SyntaxError('Unexpected token < in "<html secret page text"');
  },
  readTask() {
    throw new Error('boom');
  },
};

test('an adapter that throws yields nothing and a report; the others on the page still read their listings', () => {
  const document = openPage(PROLIFIC_LIST, 'prolific', 'studies-list.html');
  const reports = [];
  const context = { captured: [readJson('prolific', 'studies.json')] };
  const found = readAllListings(document, PROLIFIC_LIST, context, { adapters: [throwing, prolific], onError: (report) => reports.push(report) });
  assert.equal(validListings(found).length, 4);
  assert.ok(found.every((entry) => entry.adapter === 'prolific'));
  assert.equal(reports.length, 1);
  assert.equal(reports[0].adapter, 'broken');
  assert.equal(reports[0].stage, 'readListings');
  assert.ok(reports[0].error instanceof SyntaxError);
});

test('the safe wrappers never throw, even when the reporter itself throws', () => {
  const document = openPage(PROLIFIC_LIST, 'prolific', 'studies-list.html');
  const angry = () => {
    throw new Error('reporter down');
  };
  assert.deepEqual(readListingsSafely(throwing, document, {}, angry), []);
  assert.equal(readTaskSafely(throwing, document, 'https://app.prolific.com/studies/6712a4c0e5b1f2a3c4d5e6f7', {}, angry), null);
  const notAList = { ...throwing, readListings: () => 'nope' };
  const reports = [];
  assert.deepEqual(readListingsSafely(notAList, document, {}, (report) => reports.push(report)), []);
  assert.match(String(reports[0].error), /did not return an array/);
  const halfBroken = { ...throwing, readListings: () => [null, { listing: { task_id: 'a' } }, { listing: { task_id: 'b' }, anchor: document.body }] };
  assert.deepEqual(readListingsSafely(halfBroken, document, {}, angry).map((entry) => entry.listing.task_id), ['b']);
});

test('readTaskSafely passes the page URL as a URL object', () => {
  const document = openPage('https://app.prolific.com/studies/6712a4c0e5b1f2a3c4d5e6f7', 'prolific', 'study-page.html');
  const task = readTaskSafely(prolific, document, 'https://app.prolific.com/studies/6712a4c0e5b1f2a3c4d5e6f7', {});
  assert.equal(task.task_id, '6712a4c0e5b1f2a3c4d5e6f7');
});

test('a list page the adapter no longer understands gives an adapter-health payload with counts only', () => {
  const document = openPage(PROLIFIC_LIST, 'prolific', 'studies-list-empty.html');
  const found = readListingsSafely(prolific, document, { captured: [] });
  assert.deepEqual(found, []);
  const health = adapterHealth(prolific, PROLIFIC_LIST, found, document);
  assert.deepEqual(health, { adapter: 'prolific', adapter_version: prolific.version, blocks_seen: 0, listings_found: 0 });
  assertValid('AdapterHealth', health);
});

test('blocks seen counts the cards the adapter recognised but could not read', () => {
  const document = openPage(PROLIFIC_LIST, 'prolific', 'studies-list.html');
  for (const tag of document.querySelectorAll('[data-testid="study-tag-reward"]')) tag.remove();
  const found = readListingsSafely(prolific, document, { captured: [] });
  const health = adapterHealth(prolific, PROLIFIC_LIST, found, document);
  assert.deepEqual(health, { adapter: 'prolific', adapter_version: prolific.version, blocks_seen: 4, listings_found: 0 });
  assertValid('AdapterHealth', health);
  assert.ok(!JSON.stringify(health).includes('Decision'), 'no page text');
});

test('no health event when listings were found or the page is not a list page', () => {
  const document = openPage(PROLIFIC_LIST, 'prolific', 'studies-list.html');
  const found = readListingsSafely(prolific, document, { captured: [] });
  assert.equal(adapterHealth(prolific, PROLIFIC_LIST, found, document), null);
  assert.equal(adapterHealth(prolific, 'https://app.prolific.com/studies/6712a4c0e5b1f2a3c4d5e6f7', [], document), null);
  assert.equal(adapterHealth(throwing, PROLIFIC_LIST, [], document).blocks_seen, 0, 'no countBlocks: zero, not a crash');
});

test('the registry lists every adapter once, by unique id', () => {
  const ids = ADAPTERS.map((adapter) => adapter.id);
  assert.deepEqual(ids, [...new Set(ids)]);
  assert.ok(Object.isFrozen(ADAPTERS));
});
