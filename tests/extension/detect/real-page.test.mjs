// The generic detector on a page nobody on this project wrote: www.mturk.com's "All HITs"
// search results as served in 2010 (see ../shared/fixtures/real/README.md). It is read from
// its place outside the repository, never copied.

import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { detectListings } from '../../../extension/content/detect/index.js';
import { ROOT, validListings } from '../adapters/support.mjs';

const REAL = path.resolve(ROOT, '..', 'shared', 'fixtures', 'real');
const PAGE = path.join(REAL, 'mturk-2010-hitslist.html');

// Read off the page itself: requester, reward and "Time Allotted" of each of the ten HIT groups.
const EXPECTED = [
  ['Sam GONZALES', 'A3AFJ33Q00UN6W', '0.01', 30 * 60],
  ['Roger Gutman', 'A1Q45SAOJDSUMG', '0.01', 10 * 60],
  ['Amazon Requester Inc.', 'A2SBG16L92F7S4', '0.03', 4 * 3600],
  ['GoodJob', 'A13R4S52DQGIMJ', '0.05', 30 * 60],
  ['Dolores Labs', 'A2IR7ETVOIULZU', '0.04', 60 * 60],
  ['Dolores Labs', 'A2IR7ETVOIULZU', '0.10', 60 * 60],
  ['RelevanceQuest', 'A8RMEN71ICE57', '0.02', 5 * 60],
  ['Mturk Foodista', 'AVTCBILNVTV8H', '0.05', 3600 + 60],
  ['Dolores Labs', 'A2IR7ETVOIULZU', '0.11', 60 * 60],
  ['Researchers', 'A3AFD0B1CJ7YFS', '0.50', 50 * 60],
];

test('finds all ten HIT groups of the real 2010 MTurk page, with requester, reward in $ and time allotted', (t) => {
  if (!existsSync(PAGE)) {
    t.skip(`real page not found at ${PAGE}: the shared fixtures folder is absent`);
    return;
  }
  const document = new JSDOM(readFileSync(PAGE, 'utf8'), { url: 'https://www.mturk.com/mturk/findhits?match=false' }).window.document;
  const found = detectListings(document, { host: 'www.mturk.com' });
  const listings = validListings(found);
  assert.deepEqual(
    listings.map((listing) => [listing.requester_name, listing.requester_id, listing.reward.amount, listing.time_allotted_s]),
    EXPECTED,
  );
  for (const listing of listings) {
    assert.equal(listing.platform, 'generic:www.mturk.com');
    assert.equal(listing.reward.currency, 'USD');
    // "Time Allotted" is the requester's limit; the page advertises no duration.
    assert.equal(listing.advertised_duration_s, undefined);
  }
  assert.equal(listings[0].title, 'Find the email address for the company and website');
  assert.equal(listings[0].task_id, '/mturk/preview?groupId=1HGJYY1GNL0AO2FW8D5C1A6146R87X', 'the session "state" parameter is dropped');
  assert.equal(new Set(listings.map((listing) => listing.task_id)).size, 10, 'ten distinct ids');
  assert.ok(found.every(({ block }) => block.tagName === 'TR'));
});
