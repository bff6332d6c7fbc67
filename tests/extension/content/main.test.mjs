// The content script's entry on a Prolific studies page (jsdom, the real adapter registry,
// fake timers): the MutationObserver only queues, work runs in batches, one score request
// per batch of new listings, and a navigation inside the single-page app starts afresh.
import assert from 'node:assert/strict';
import { after, before, mock, test } from 'node:test';
import { catalogue, page } from '../support/dom.mjs';

const messages = [];
let window;

function card(id, title, reward = '£1.50') {
  const item = window.document.createElement('li');
  item.dataset.testid = `study-${id}`;
  const heading = window.document.createElement('h2');
  heading.dataset.testid = 'title';
  heading.textContent = title;
  const price = window.document.createElement('span');
  price.dataset.testid = 'study-tag-reward';
  price.textContent = reward;
  const time = window.document.createElement('span');
  time.dataset.testid = 'study-tag-completion-time';
  time.textContent = '10 mins';
  item.append(heading, price, time);
  return item;
}

const flush = () => new Promise((ok) => setImmediate(ok));
const scoreRequests = () => messages.filter((message) => message.type === 'score');

before(async () => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.UTC(2026, 10, 20, 9) });
  window = page('<!doctype html><html><body><ul id="studies"></ul></body></html>', 'https://app.prolific.com/studies');
  Object.assign(globalThis, { window, document: window.document, MutationObserver: window.MutationObserver, AbortController: window.AbortController });
  globalThis.chrome = {
    runtime: {
      async sendMessage(message) {
        messages.push(message);
        if (message.type === 'hello') {
          return { language: 'en', messages: catalogue('en'), generic: false, settings: { threshold: { amount: '10.00', currency: 'GBP' }, belowThreshold: 'show', sortByHourly: false, idleSeconds: 60, platforms: {} } };
        }
        if (message.type === 'score') {
          return { scores: message.listings.map((listing) => ({ task_id: listing.task_id, hourly: { median: '9.00', low: '8.00', high: '10.00', currency: 'GBP' }, duration_s: null, basis: 'advertised', reports: 0, warnings: [] })) };
        }
        return {};
      },
      onMessage: { addListener() {}, removeListener() {} },
    },
    storage: { onChanged: { addListener() {} } },
  };
  const list = window.document.getElementById('studies');
  list.append(card('aaa1', 'First'), card('aaa2', 'Second'));
  await import('../../../extension/content/main.js');
  await flush();
});

after(() => {
  mock.timers.reset();
  delete globalThis.chrome;
});

test('the first batch scores the listings on the page in one request', async () => {
  assert.equal(scoreRequests().length, 0, 'nothing before the batch timer');
  mock.timers.tick(120);
  await flush();
  assert.equal(scoreRequests().length, 1);
  assert.deepEqual(scoreRequests()[0].listings.map((listing) => [listing.task_id, listing.reward.amount]), [['aaa1', '1.50'], ['aaa2', '1.50']]);
  assert.equal(window.document.querySelectorAll('fairclick-badge').length, 2);
});

test('infinite scroll: thirty cards added one by one make one batch and one request', async () => {
  const list = window.document.getElementById('studies');
  for (let index = 0; index < 30; index += 1) list.append(card(`bbb${index}`, `More ${index}`));
  await flush();
  mock.timers.tick(119);
  await flush();
  assert.equal(scoreRequests().length, 1, 'still queued');
  mock.timers.tick(1);
  await flush();
  assert.equal(scoreRequests().length, 2);
  assert.equal(scoreRequests()[1].listings.length, 30);
  assert.equal(window.document.querySelectorAll('fairclick-badge').length, 32);
  // Our own badges appearing are not news: no further batch, no further request.
  mock.timers.tick(1000);
  await flush();
  assert.equal(scoreRequests().length, 2);
});

test('a re-render of known cards redraws their badges from the page\'s cache, without asking again', async () => {
  const list = window.document.getElementById('studies');
  list.replaceChildren(card('aaa1', 'First'), card('aaa2', 'Second'));
  await flush();
  mock.timers.tick(120);
  await flush();
  assert.equal(scoreRequests().length, 2);
  assert.equal(window.document.querySelectorAll('fairclick-badge').length, 2);
});

test('five minutes later the figures are asked for again, so an open tab does not show stale ones', async () => {
  mock.timers.tick(5 * 60_000);
  const list = window.document.getElementById('studies');
  list.replaceChildren(card('aaa1', 'First'), card('aaa2', 'Second'));
  await flush();
  mock.timers.tick(120);
  await flush();
  assert.equal(scoreRequests().length, 3);
  assert.deepEqual(scoreRequests()[2].listings.map((listing) => listing.task_id), ['aaa1', 'aaa2']);
});

test('navigating inside the app to a page that is not a list removes the overlay', async () => {
  window.history.pushState({}, '', '/account/general');
  window.dispatchEvent(new window.PopStateEvent('popstate'));
  mock.timers.tick(120);
  await flush();
  assert.equal(window.document.querySelectorAll('fairclick-badge').length, 0);
});
