// The active-time clock on a fake clock: no real waiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActiveClock } from '../../../../extension/content/timer/clock.js';
import { fakeClock } from '../../support/fake-chrome.mjs';

const IDLE = 60_000;

test('it counts while the worker acts, and stops the idle time after their last input', () => {
  const now = fakeClock();
  const clock = new ActiveClock({ now, idleMs: IDLE });
  now.advance(30_000);
  clock.input();
  now.advance(30_000);
  assert.equal(clock.activeMs(), 60_000);
  // No input for five minutes: only the first idle minute after the last input counts.
  now.advance(5 * 60_000);
  assert.equal(clock.activeMs(), 30_000 + IDLE);
  assert.equal(clock.running, false);
  clock.input();
  now.advance(10_000);
  assert.equal(clock.activeMs(), 30_000 + IDLE + 10_000);
});

test('a hidden tab stops the clock, whatever the input', () => {
  const now = fakeClock();
  const clock = new ActiveClock({ now, idleMs: IDLE });
  now.advance(10_000);
  clock.setVisible(false);
  for (let step = 0; step < 10; step += 1) {
    now.advance(5_000);
    clock.input();
  }
  assert.equal(clock.activeMs(), 10_000);
  clock.setVisible(true);
  clock.input();
  now.advance(5_000);
  assert.equal(clock.activeMs(), 15_000);
});

test('an unfocused window stops it; coming back to the window counts as acting again', () => {
  const now = fakeClock();
  const clock = new ActiveClock({ now, idleMs: IDLE });
  now.advance(50_000);
  clock.setFocused(false);
  now.advance(10 * 60_000);
  assert.equal(clock.activeMs(), 50_000);
  clock.setFocused(true);
  now.advance(20_000);
  assert.equal(clock.activeMs(), 70_000);
});

test('the worker\'s pause stops it until resumed; the idle limit can change on the way', () => {
  const now = fakeClock();
  const clock = new ActiveClock({ now, idleMs: IDLE, paused: true });
  now.advance(30_000);
  assert.equal(clock.activeMs(), 0);
  clock.setPaused(false);
  clock.input();
  clock.setIdleMs(10_000);
  now.advance(30_000);
  assert.equal(clock.activeMs(), 10_000);
});
