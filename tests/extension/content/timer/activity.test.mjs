// A task page's events (visibility, focus, input) driving the clock, in jsdom with a fake
// time source; leaving the page (abort) removes every listener.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { focusInFrame, watchActivity } from '../../../../extension/content/timer/activity.js';
import { ActiveClock } from '../../../../extension/content/timer/clock.js';
import { fakeClock } from '../../support/fake-chrome.mjs';
import { page } from '../../support/dom.mjs';

function setup() {
  const window = page('<!doctype html><body><input id="answer"><iframe id="hit"></iframe></body>', 'https://worker.mturk.com/projects/3X/tasks/3Y');
  let visibility = 'visible';
  let focused = true;
  Object.defineProperty(window.document, 'visibilityState', { get: () => visibility });
  window.document.hasFocus = () => focused;
  const now = fakeClock();
  const clock = new ActiveClock({ now, idleMs: 60_000 });
  const controller = new window.AbortController();
  watchActivity(window, clock, { signal: controller.signal, now });
  return {
    window, now, clock, controller,
    hide() { visibility = 'hidden'; window.document.dispatchEvent(new window.Event('visibilitychange')); },
    show() { visibility = 'visible'; window.document.dispatchEvent(new window.Event('visibilitychange')); },
    type() { window.document.getElementById('answer').dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true })); },
    blur() { focused = false; window.dispatchEvent(new window.Event('blur')); },
  };
}

test('typing keeps the clock going; switching tab stops it', () => {
  const { now, clock, hide, show, type } = setup();
  for (let step = 0; step < 6; step += 1) {
    now.advance(30_000);
    type();
  }
  assert.equal(clock.activeMs(), 180_000);
  hide();
  now.advance(120_000);
  type();
  assert.equal(clock.activeMs(), 180_000);
  show();
  type();
  now.advance(10_000);
  assert.equal(clock.activeMs(), 190_000);
});

test('after the abort (the worker left the task page) events no longer reach the clock', () => {
  const { now, clock, controller, hide } = setup();
  now.advance(10_000);
  controller.abort();
  hide();
  now.advance(10_000);
  assert.equal(clock.activeMs(), 20_000, 'the hidden event was not heard');
});

test('focus resting in the task\'s own iframe counts as presence', () => {
  const { window } = setup();
  assert.equal(focusInFrame(window.document), false);
  window.document.getElementById('hit').focus();
  Object.defineProperty(window.document, 'activeElement', { get: () => window.document.getElementById('hit') });
  assert.equal(focusInFrame(window.document), true);
});
