import test from 'node:test';
import assert from 'node:assert/strict';
import { CAPTURE_PATTERNS, collectCaptures, readCapture } from '../../../extension/content/main-world/receive.js';
import prolific from '../../../extension/content/adapters/prolific.js';
import { openPage, readJson, validListings } from '../adapters/support.mjs';
import { pageWithCapture } from './support.mjs';

const STUDIES = 'https://internal-api.prolific.com/api/v1/participant/studies/';
const studies = readJson('prolific', 'studies.json');

function eventFor(window, data, overrides = {}) {
  return { data, source: window, origin: window.location.origin, ...overrides };
}

test('accepts a well-formed envelope for a URL an adapter asked for', () => {
  const { window } = pageWithCapture('https://app.prolific.com/studies', {});
  const envelope = { type: 'fairclick:capture', version: 1, seq: 3, url: STUDIES, status: 200, body: studies };
  assert.deepEqual(readCapture(eventFor(window, envelope), window), { seq: 3, url: STUDIES, status: 200, body: studies });
});

test('rejects anything else: another window or origin, another type, version, URL, status or body', () => {
  const { window } = pageWithCapture('https://app.prolific.com/studies', {});
  const good = { type: 'fairclick:capture', version: 1, seq: 1, url: STUDIES, status: 200, body: studies };
  const rejected = [
    eventFor(window, good, { source: null }),
    eventFor(window, good, { origin: 'https://evil.example' }),
    eventFor(window, { ...good, type: 'capture' }),
    eventFor(window, { ...good, version: 2 }),
    eventFor(window, { ...good, seq: 0 }),
    eventFor(window, { ...good, seq: '1' }),
    eventFor(window, { ...good, url: 'https://evil.example/api/v1/participant/studies/' }),
    eventFor(window, { ...good, url: `${STUDIES}${'x'.repeat(3000)}` }),
    eventFor(window, { ...good, status: 404 }),
    eventFor(window, { ...good, body: 'not json' }),
    eventFor(window, null),
    null,
  ];
  for (const event of rejected) assert.equal(readCapture(event, window), null, JSON.stringify(event?.data)?.slice(0, 80));
});

test('the accepted URLs are the API responses adapters read, not lookalikes', () => {
  const accepted = (url) => CAPTURE_PATTERNS.some((pattern) => pattern.test(url));
  for (const url of [STUDIES, `${STUDIES}?sortBy=published_at&orderBy=asc`, 'https://internal-api.prolific.com/api/v1/submissions/reserve/', 'https://worker.mturk.com/projects?page_number=2&format=json']) {
    assert.ok(accepted(url), url);
  }
  for (const url of ['https://internal-api.prolific.com.evil.example/api/v1/participant/studies/', 'http://internal-api.prolific.com/api/v1/participant/studies/', 'https://internal-api.prolific.com/api/v1/participant/balance/', 'https://worker.mturk.com/projects?format=jsonp', 'https://worker.mturk.com/projects#format=json']) {
    assert.ok(!accepted(url), url);
  }
});

test('from the page fetch to the adapter: relayed, collected (after a replay), read as listings', async () => {
  const { window } = pageWithCapture('https://app.prolific.com/studies', { [STUDIES]: { status: 200, body: studies } });
  await window.fetch(STUDIES); // before the content script listens
  const controller = new window.AbortController();
  const accepted = [];
  const arrived = new Promise((resolve) => {
    const captured = collectCaptures(window, { signal: controller.signal, onCapture: (capture) => accepted.push(capture) && resolve(captured) });
  });
  const captured = await arrived;
  assert.equal(captured.length, 1);
  assert.equal(captured[0].url, STUDIES);
  const document = openPage('https://app.prolific.com/studies', 'prolific', 'studies-list.html');
  const listings = validListings(prolific.readListings(document, { captured }));
  assert.equal(listings[0].requester_id, '5f8e7d6c5b4a39281706f5e4', 'read from the relayed JSON, not the DOM');
  controller.abort();
});

test('collectCaptures keeps the latest few, ignores repeats, and stops when aborted', async () => {
  const { window } = pageWithCapture('https://app.prolific.com/studies', {});
  const controller = new window.AbortController();
  let seen = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const captured = collectCaptures(window, { signal: controller.signal, limit: 2, onCapture: () => ++seen === 3 && done() });
  const send = (seq) => window.dispatchEvent(new window.MessageEvent('message', { data: { type: 'fairclick:capture', version: 1, seq, url: STUDIES, status: 200, body: { results: [] } }, origin: window.location.origin, source: window }));
  for (const seq of [1, 2, 2, 1, 3]) send(seq);
  await finished;
  assert.deepEqual(captured.map((capture) => capture.seq), [2, 3]);
  controller.abort();
  send(4);
  assert.deepEqual(captured.map((capture) => capture.seq), [2, 3]);
});
