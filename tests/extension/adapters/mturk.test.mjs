import test from 'node:test';
import assert from 'node:assert/strict';
import mturk from '../../../extension/content/adapters/mturk.js';
import { openHtml, openPage, readJson, validListings } from './support.mjs';

const LIST = 'https://worker.mturk.com/projects';
const TASK = 'https://worker.mturk.com/projects/3K2N8R5VQ1Y7T0A4J6LPW9ZC3XHEDB/tasks/3YKP0Q2LW8ZB5C1X7T9N4MJDFVRHGA?assignment_id=3ASN7W1QX9ZC4B8T2L0MKJ6FPVDRHE&ref=w_pl_prvw';

test('reads the HIT set table props: ids, requester, reward, time allotted (never as an advertised duration)', () => {
  const document = openPage(LIST, 'mturk', 'hit-set-table.html');
  const listings = validListings(mturk.readListings(document, { captured: [] }));
  assert.equal(listings.length, 4);
  assert.deepEqual(listings[1], {
    platform: 'mturk',
    task_id: '3P9F4M1ZB7C2Q8T5X0LWKDJ6NVRHSA',
    requester_id: 'A3HV8QI42N179B',
    requester_name: 'p9r',
    title: 'Transcribe data from a receipt',
    reward: { amount: '0.01', currency: 'USD' },
    time_allotted_s: 600,
  });
  assert.deepEqual(listings.map((listing) => listing.reward.amount), ['2', '0.01', '0.07', '0.50']);
  assert.deepEqual(listings.map((listing) => listing.advertised_duration_s), [600, undefined, undefined, undefined]);
});

test('the only advertised duration is the one a requester writes in the title', () => {
  const document = openPage(LIST, 'mturk', 'hit-set-table.html');
  const [survey] = validListings(mturk.readListings(document, { captured: [] }));
  assert.equal(survey.title, 'Consumer research survey (~ 10 minutes)');
  assert.equal(survey.advertised_duration_s, 600);
  assert.equal(survey.time_allotted_s, 3600);
  assert.deepEqual(survey.reward, { amount: '2', currency: 'USD' });
});

test('a limit beyond the contract (10 days) is left out rather than clipped', () => {
  const document = openPage(LIST, 'mturk', 'hit-set-table.html');
  const listings = validListings(mturk.readListings(document, { captured: [] }));
  assert.equal(listings[3].task_id, '3T1Z6B3VQ8N0C5X2LWM9KJ7FHPRDGA');
  assert.equal('time_allotted_s' in listings[3], false);
  assert.deepEqual(listings[3].reward, { amount: '0.50', currency: 'USD' });
});

test('each row is matched to its HIT by its project link, and the badge goes on the title link', () => {
  const document = openPage(LIST, 'mturk', 'hit-set-table.html');
  const found = mturk.readListings(document, { captured: [] });
  for (const { listing, anchor, block } of found) {
    assert.ok(block.classList.contains('hit-set-table-row'));
    assert.equal(anchor.getAttribute('href'), `/projects/${listing.task_id}/tasks?ref=w_pl_prvw`);
  }
  assert.deepEqual(found.map((entry) => entry.details.hits_available), [412, 27894, 533, 1]);
});

test('rows rendered from a later ?format=json fetch are read from the captured JSON', () => {
  const document = openPage('https://worker.mturk.com/projects?page_number=2', 'mturk', 'hit-set-table-page2.html');
  assert.deepEqual(mturk.readListings(document, { captured: [] }), [], 'page 1 props do not describe page 2 rows');
  const captured = [{ url: 'https://worker.mturk.com/projects?page_number=2&format=json', body: readJson('mturk', 'search-page2.json') }];
  const listings = validListings(mturk.readListings(document, { captured }));
  assert.deepEqual(listings.map((listing) => listing.task_id), ['3R8C1X5ZT2B9Q0W7LMK4JD6FVNPHSA', '3H6V9N2XQ4Z1B8C7T0LWMJKDFPRYSA']);
  assert.deepEqual(listings[0].reward, { amount: '0.02', currency: 'USD' });
  assert.equal(listings[0].time_allotted_s, 420);
  assert.equal(listings[1].advertised_duration_s, 300, '"about 5 min" in the title');
});

test('rows without their own link follow bodyData order', () => {
  const hits = readJson('mturk', 'search.json').results.slice(0, 2);
  const props = JSON.stringify({ bodyData: hits }).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const document = openHtml(LIST, `<div data-react-class="require('reactComponents/hitSetTable/HitSetTable')['default']" data-react-props="${props}"><div class="hit-set-table-row">A</div><div class="hit-set-table-row">B</div></div>`);
  const listings = validListings(mturk.readListings(document, {}));
  assert.deepEqual(listings.map((listing) => listing.task_id), hits.map((hit) => hit.hit_set_id));
});

test('titles and requester names holding markup come back as plain text, and nothing is rendered', () => {
  const document = openPage(LIST, 'mturk', 'hit-set-table.html');
  const images = document.querySelectorAll('img').length;
  const listings = validListings(mturk.readListings(document, { captured: [] }));
  assert.equal(listings[2].title, `<script>document.body.dataset.pwned='4'</script>Capture information from a receipt`);
  assert.equal(listings[2].requester_name, `<img src=x onerror="document.body.dataset.pwned='3'">Freevo`);
  assert.equal(document.querySelectorAll('img').length, images);
  assert.equal(document.body.dataset.pwned, undefined);
});

test('broken props read as no listing, not as an error', () => {
  const document = openHtml(LIST, `<div data-react-class="require('reactComponents/hitSetTable/HitSetTable')['default']" data-react-props="{not json"><div class="hit-set-table-row">A</div></div>`);
  assert.deepEqual(mturk.readListings(document, { captured: [] }), []);
  assert.equal(mturk.countBlocks(document), 1);
});

test('an accepted HIT: reward, requester, time allotted and time left, the assignment id for hashing, never the worker id', () => {
  const document = openPage(TASK, 'mturk', 'task-page.html');
  const task = mturk.readTask(document, new URL(TASK), { captured: [] });
  assert.deepEqual(task, {
    platform: 'mturk',
    task_id: '3K2N8R5VQ1Y7T0A4J6LPW9ZC3XHEDB',
    requester_id: 'A1RK7S2D9QW4XZ',
    reward: { amount: '2', currency: 'USD' },
    advertised_duration_s: 600,
    time_allotted_s: 3600,
    time_left_s: 1785,
    assignment_id: '3ASN7W1QX9ZC4B8T2L0MKJ6FPVDRHE',
  });
  assert.ok(!JSON.stringify(task).includes('A9WORKERIDNOTOUTPUT'));
});

test('a preview (no assignment yet) or a page without the task props is not a task to time', () => {
  const preview = 'https://worker.mturk.com/projects/3K2N8R5VQ1Y7T0A4J6LPW9ZC3XHEDB/tasks?ref=w_pl_prvw';
  assert.equal(mturk.isTaskPage(new URL(preview)), false);
  assert.equal(mturk.readTask(openPage(preview, 'mturk', 'task-page.html'), new URL(preview), {}), null);
  assert.equal(mturk.readTask(openPage(TASK, 'mturk', 'hit-set-table.html'), new URL(TASK), {}), null);
});

test('list and task pages are told apart by URL', () => {
  for (const url of ['https://worker.mturk.com/', 'https://worker.mturk.com/projects', 'https://worker.mturk.com/requesters/A1RK7S2D9QW4XZ/projects?ref=w_pl_prvw', 'https://worker.mturk.com/?filters%5Bqualified%5D=true&format=json']) {
    assert.equal(mturk.isListPage(new URL(url)), true, url);
  }
  assert.equal(mturk.isListPage(new URL(TASK)), false);
  assert.equal(mturk.isTaskPage(new URL(TASK)), true);
  assert.equal(mturk.isListPage(new URL('https://worker.mturk.com/dashboard')), false);
});
