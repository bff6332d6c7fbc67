// A task page's timing session with a scripted worker and fake timers: it starts (or resumes)
// a record, reports the active clock every few seconds, obeys a pause from the popup, and
// ends the record when the worker leaves the page.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { BEAT_MS, startSession } from '../../../../extension/content/timer/session.js';
import { page } from '../../support/dom.mjs';

let window;
let sent;
let listeners;
let replies;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: Date.UTC(2026, 10, 20, 9) });
  window = page('<!doctype html><body><textarea></textarea></body>', 'https://worker.mturk.com/projects/3X/tasks/3Y?assignment_id=3Z');
  window.document.hasFocus = () => true;
  sent = [];
  listeners = [];
  replies = { 'timing.start': { record_id: 'rec-1', active_s: 40, paused: false }, 'timing.beat': { paused: false, running: true } };
});
afterEach(() => mock.timers.reset());

const worker = { async send(type, body) { sent.push({ type, ...body }); return replies[type] ?? {}; } };
const runtime = { onMessage: { addListener: (listener) => listeners.push(listener), removeListener: (listener) => { listeners = listeners.filter((known) => known !== listener); } } };
const flush = () => new Promise((ok) => setImmediate(ok));
const typing = () => window.document.querySelector('textarea').dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true }));
const beats = () => sent.filter((message) => message.type === 'timing.beat');

async function start(controller) {
  const task = { platform: 'mturk', task_id: '3X', reward: { amount: '0.50', currency: 'USD' }, assignment_id: '3Z' };
  return startSession(task, { window, worker, runtime, now: () => Date.now(), settings: { idleSeconds: 60 }, signal: controller.signal });
}

test('the session resumes from the record\'s active time and reports the clock every few seconds', async () => {
  const controller = new window.AbortController();
  const session = await start(controller);
  assert.deepEqual(sent[0], { type: 'timing.start', task: { platform: 'mturk', task_id: '3X', reward: { amount: '0.50', currency: 'USD' }, assignment_id: '3Z' }, assignment_id: '3Z' });
  typing();
  mock.timers.tick(BEAT_MS);
  await flush();
  assert.deepEqual(beats().map((beat) => beat.active_s), [45]);
  assert.equal(session.recordId, 'rec-1');
  controller.abort();
});

test('a pause from the popup stops the clock; leaving the page ends the record once', async () => {
  const controller = new window.AbortController();
  await start(controller);
  mock.timers.tick(10_000);
  listeners.forEach((listener) => listener({ type: 'timing.paused', record_id: 'rec-1', paused: true }));
  mock.timers.tick(30_000);
  typing();
  await flush();
  controller.abort();
  window.dispatchEvent(new window.Event('pagehide'));
  const ends = sent.filter((message) => message.type === 'timing.end');
  assert.equal(ends.length, 1);
  assert.equal(ends[0].active_s, 50);
  assert.equal(listeners.length, 0, 'the message listener is removed');
});

test('a record ended or discarded from the popup stops the page\'s reports', async () => {
  const controller = new window.AbortController();
  await start(controller);
  replies['timing.beat'] = { paused: false, running: false };
  mock.timers.tick(BEAT_MS);
  await flush();
  mock.timers.tick(BEAT_MS * 5);
  await flush();
  assert.equal(beats().length, 1);
  controller.abort();
});

test('a click on the task page tells the worker (at most every 2 s), so the tab it opens is the study\'s; so does focus in the task\'s frame', async () => {
  const controller = new window.AbortController();
  await start(controller);
  const gestures = () => sent.filter((message) => message.type === 'timing.gesture');
  const click = (type = 'click') => window.document.body.dispatchEvent(new window.MouseEvent(type, { bubbles: true }));
  click();
  click('auxclick');
  assert.deepEqual(gestures(), [{ type: 'timing.gesture', record_id: 'rec-1' }], 'only that it happened, never where');
  mock.timers.tick(2000);
  click('contextmenu');
  assert.equal(gestures().length, 2);
  const frame = window.document.createElement('iframe');
  window.document.body.append(frame);
  frame.focus();
  mock.timers.tick(BEAT_MS);
  await flush();
  assert.equal(gestures().length, 3);
  controller.abort();
  mock.timers.tick(BEAT_MS);
  click();
  assert.equal(gestures().length, 3, 'a page left says nothing more');
});
