import test from 'node:test';
import assert from 'node:assert/strict';
import prolific from '../../../extension/content/adapters/prolific.js';
import { openHtml, openPage, readJson, validListings } from './support.mjs';

const LIST = 'https://app.prolific.com/studies';
const STUDY = 'https://app.prolific.com/studies/6712a4c0e5b1f2a3c4d5e6f7';
const studiesCapture = () => ({ url: 'https://internal-api.prolific.com/api/v1/participant/studies/?sortBy=published_at&orderBy=asc', body: readJson('prolific', 'studies.json') });

test('reads the studies JSON the page received: ids, researcher, exact reward from minor units, minutes', () => {
  const document = openPage(LIST, 'prolific', 'studies-list.html');
  const found = prolific.readListings(document, { captured: [studiesCapture()], host: 'app.prolific.com' });
  const listings = validListings(found);
  assert.deepEqual(listings[0], {
    platform: 'prolific',
    task_id: '6712a4c0e5b1f2a3c4d5e6f7',
    requester_id: '5f8e7d6c5b4a39281706f5e4',
    requester_name: 'Cognition Lab, University of Leeds',
    title: 'Decision making under time pressure',
    reward: { amount: '1.35', currency: 'GBP' },
    advertised_duration_s: 540,
    time_allotted_s: 2400,
  });
  assert.deepEqual(listings.map((listing) => listing.reward), [
    { amount: '1.35', currency: 'GBP' },
    { amount: '10.50', currency: 'USD' },
    { amount: '0.05', currency: 'EUR' },
    { amount: '2.00', currency: 'GBP' },
  ]);
  assert.deepEqual(found.map((entry) => entry.details.places_left), [12, 39, 0, 1204]);
});

test('the badge goes on the card title and the card is the block', () => {
  const document = openPage(LIST, 'prolific', 'studies-list.html');
  const [first] = prolific.readListings(document, { captured: [studiesCapture()] });
  assert.equal(first.anchor.getAttribute('data-testid'), 'title');
  assert.equal(first.block.getAttribute('data-testid'), 'study-6712a4c0e5b1f2a3c4d5e6f7');
});

test('a card the JSON does not cover falls back to the DOM', () => {
  const document = openPage(LIST, 'prolific', 'studies-list.html');
  const listings = validListings(prolific.readListings(document, { captured: [studiesCapture()] }));
  assert.deepEqual(listings[3], {
    platform: 'prolific',
    task_id: '6712e5f6a7b8c9d0e1f2a3b4',
    requester_name: 'Visual Memory Group',
    title: 'Memory for faces',
    reward: { amount: '2.00', currency: 'GBP' },
    advertised_duration_s: 900,
  });
});

test('with no captured JSON at all, every card is read from the DOM', () => {
  const document = openPage(LIST, 'prolific', 'studies-list.html');
  const listings = validListings(prolific.readListings(document, { captured: [] }));
  assert.equal(listings.length, 4);
  assert.deepEqual(listings[0], {
    platform: 'prolific',
    task_id: '6712a4c0e5b1f2a3c4d5e6f7',
    requester_name: 'Cognition Lab, University of Leeds',
    title: 'Decision making under time pressure',
    reward: { amount: '1.35', currency: 'GBP' },
    advertised_duration_s: 540,
  });
  // The per-hour tag on the card is a rate, not the reward.
  assert.deepEqual(listings[1].reward, { amount: '10.50', currency: 'USD' });
});

test('the older API shape (reward as bare pence) is read too, and a bare body works like a record', () => {
  const html = '<ul><li class="list-item" data-testid="study-5d2f1e0c9b8a7f6e5d4c3b2a"><h2 data-testid="title">x</h2></li></ul>';
  const document = openHtml(LIST, html);
  const [listing] = validListings(prolific.readListings(document, { captured: [readJson('prolific', 'studies-legacy.json')] }));
  assert.deepEqual(listing, {
    platform: 'prolific',
    task_id: '5d2f1e0c9b8a7f6e5d4c3b2a',
    requester_id: '5c1b0a9f8e7d6c5b4a392817',
    requester_name: 'J. Smith',
    title: 'Attitudes to public transport',
    reward: { amount: '0.75', currency: 'GBP' },
    advertised_duration_s: 360,
    time_allotted_s: 1800,
  });
});

test('the latest capture wins when the page fetched the list twice', () => {
  const document = openPage(LIST, 'prolific', 'studies-list.html');
  const later = studiesCapture();
  later.body = structuredClone(later.body);
  later.body.results[0].study_reward = { amount: 150, currency: 'GBP' };
  const [first] = prolific.readListings(document, { captured: [studiesCapture(), later] });
  assert.deepEqual(first.listing.reward, { amount: '1.50', currency: 'GBP' });
});

test('malformed JSON values are not guessed: a float or negative reward falls back to the card', () => {
  const document = openPage(LIST, 'prolific', 'studies-list.html');
  const capture = studiesCapture();
  capture.body = structuredClone(capture.body);
  capture.body.results[0].study_reward = { amount: 1.35, currency: 'GBP' };
  capture.body.results[1].study_reward = { amount: -5, currency: 'USD' };
  const listings = validListings(prolific.readListings(document, { captured: [capture] }));
  assert.deepEqual(listings[0].reward, { amount: '1.35', currency: 'GBP' });
  assert.equal(listings[0].requester_id, undefined, 'the DOM card has no researcher id');
  assert.deepEqual(listings[1].reward, { amount: '10.50', currency: 'USD' });
});

test('titles and names holding markup come back as plain text, and nothing is rendered', () => {
  for (const captured of [[studiesCapture()], []]) {
    const document = openPage(LIST, 'prolific', 'studies-list.html');
    const images = document.querySelectorAll('img').length;
    const listings = validListings(prolific.readListings(document, { captured }));
    assert.equal(listings[1].title, `<img src=x onerror="document.body.dataset.pwned='1'"> Rate short AI answers`);
    assert.equal(listings[1].requester_name, `<script>document.body.dataset.pwned='2'</script>Evaluations Team`);
    assert.equal(document.querySelectorAll('img').length, images);
    assert.equal(document.body.dataset.pwned, undefined);
  }
});

test('a started study: reward and limits from the captured study, the submission id for hashing, never the participant id', () => {
  const document = openPage(STUDY, 'prolific', 'study-page.html');
  const reserve = readJson('prolific', 'reserve.json');
  const task = prolific.readTask(document, new URL(STUDY), { captured: [studiesCapture(), { url: 'https://internal-api.prolific.com/api/v1/submissions/reserve/', body: reserve }] });
  assert.deepEqual(task, {
    platform: 'prolific',
    task_id: '6712a4c0e5b1f2a3c4d5e6f7',
    requester_id: '5f8e7d6c5b4a39281706f5e4',
    reward: { amount: '1.35', currency: 'GBP' },
    advertised_duration_s: 540,
    time_allotted_s: 2400,
    assignment_id: '6712d3e4f5a6b7c8d9e0f1a2',
  });
  assert.ok(!JSON.stringify(task).includes(reserve.participant_id));
});

test('a started study without captured JSON is read from its page; a submission for another study is ignored', () => {
  const document = openPage(STUDY, 'prolific', 'study-page.html');
  const other = { ...readJson('prolific', 'reserve.json'), study_id: '6712b9f1a2c3d4e5f6a7b8c9' };
  const task = prolific.readTask(document, new URL(STUDY), { captured: [other] });
  assert.deepEqual(task, {
    platform: 'prolific',
    task_id: '6712a4c0e5b1f2a3c4d5e6f7',
    reward: { amount: '1.35', currency: 'GBP' },
    advertised_duration_s: 540,
  });
});

test('readTask returns null where there is no study to time', () => {
  const document = openPage(LIST, 'prolific', 'studies-list-empty.html');
  assert.equal(prolific.readTask(document, new URL('https://app.prolific.com/studies/6712a4c0e5b1f2a3c4d5e6f7'), { captured: [] }), null);
  assert.equal(prolific.readTask(document, new URL(LIST), { captured: [] }), null);
});

test('list and task pages are told apart by URL', () => {
  assert.equal(prolific.isListPage(new URL(LIST)), true);
  assert.equal(prolific.isListPage(new URL(STUDY)), false);
  assert.equal(prolific.isTaskPage(new URL(STUDY)), true);
  assert.equal(prolific.isTaskPage(new URL('https://app.prolific.com/submissions')), false);
  assert.equal(prolific.isListPage(new URL('https://evil.example/studies')), false);
});
