import test from 'node:test';
import assert from 'node:assert/strict';
import { readJson } from '../adapters/support.mjs';
import { pageWithCapture } from './support.mjs';

const STUDIES = 'https://internal-api.prolific.com/api/v1/participant/studies/?sortBy=published_at&orderBy=asc';
const OTHER = 'https://internal-api.prolific.com/api/v1/participant/balance/';
const studies = readJson('prolific', 'studies.json');

test('relays the JSON of a watched fetch in a FairClick envelope, and the page still reads its response', async () => {
  const { window, next } = pageWithCapture('https://app.prolific.com/studies', { [STUDIES]: { status: 200, body: studies } });
  const arriving = next();
  const response = await window.fetch(STUDIES, { credentials: 'include' });
  assert.deepEqual(await response.json(), studies, 'the page gets its body, unread');
  const message = await arriving;
  assert.deepEqual(message.data, { type: 'fairclick:capture', version: 1, seq: 1, url: STUDIES, status: 200, body: studies });
  assert.equal(message.source, window);
});

test('other URLs and failed responses are not relayed', async () => {
  const { window, messages, next } = pageWithCapture('https://app.prolific.com/studies', {
    [OTHER]: { status: 200, body: { balance: 1240 } },
    'https://internal-api.prolific.com/api/v1/participant/studies/?page=2': { status: 500, body: { error: 'boom' } },
    [STUDIES]: { status: 200, body: studies },
  });
  await window.fetch(OTHER);
  await window.fetch('https://internal-api.prolific.com/api/v1/participant/studies/?page=2');
  const arriving = next();
  await window.fetch(new window.URL(STUDIES));
  // Relays keep the order of the responses: had either of the first two been relayed, it would be first.
  assert.equal((await arriving).data.url, STUDIES);
  assert.equal(messages.length, 1);
});

test('XMLHttpRequest responses (text or json) are relayed too', async () => {
  const { window, next } = pageWithCapture('https://app.prolific.com/studies', { [STUDIES]: { status: 200, body: studies } });
  for (const responseType of ['', 'json']) {
    const arriving = next();
    const xhr = new window.XMLHttpRequest();
    xhr.open('GET', STUDIES);
    xhr.responseType = responseType;
    xhr.send();
    const { data } = await arriving;
    assert.equal(data.url, STUDIES);
    assert.deepEqual(data.body, studies, `responseType '${responseType}'`);
  }
});

test('on request it posts again what it already relayed, so a late listener misses nothing', async () => {
  const { window, next } = pageWithCapture('https://app.prolific.com/studies', { [STUDIES]: { status: 200, body: studies } });
  const first = next();
  await window.fetch(STUDIES);
  await first;
  const request = next();
  const replay = request.then(() => next());
  window.postMessage({ type: 'fairclick:replay', version: 1 }, window.location.origin);
  assert.equal((await request).data.type, 'fairclick:replay');
  const { data } = await replay;
  assert.equal(data.type, 'fairclick:capture');
  assert.equal(data.seq, 1, 'the same envelope, so the receiver can tell it already has it');
});

test('running the script twice does not wrap fetch twice', async () => {
  const { window, messages, next } = pageWithCapture('https://app.prolific.com/studies', { [STUDIES]: { status: 200, body: studies }, [OTHER]: { status: 200, body: {} } }, { installTimes: 2 });
  const arriving = next();
  await window.fetch(STUDIES);
  await arriving;
  const marker = next();
  window.postMessage({ marker: true }, window.location.origin);
  await marker;
  assert.equal(messages.filter((message) => message.data.type === 'fairclick:capture').length, 1);
});
