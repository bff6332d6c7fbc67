import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OPENING_WINDOW_MS, forgetTabs, releaseTab, tabOpened, taskPageGesture } from '../../../extension/background/study-tabs.js';
import { endedRecord } from './records.mjs';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const running = (changes) => endedRecord({ state: 'running', ended_at: null, outcome: null, tab_id: 7, last_seen: T0, study_tabs: [], tab_candidates: [], gesture_at: null, foreground_ms: 0, foreground_since: null, ...changes });
const only = (record) => ({ [record.id]: record });

test('a tab opened from the task page joins only near a click there, in either order', () => {
  const clicked = only(running({ gesture_at: T0 }));
  assert.deepEqual(tabOpened(clicked, { tabId: 20, openerTabId: 7, now: T0 + OPENING_WINDOW_MS }).r1.study_tabs, [20]);
  assert.deepEqual(tabOpened(clicked, { tabId: 20, openerTabId: 7, now: T0 + OPENING_WINDOW_MS + 1 }).r1.study_tabs, []);
  const waiting = tabOpened(only(running()), { tabId: 21, openerTabId: 7, now: T0 });
  assert.deepEqual(waiting.r1.tab_candidates, [{ id: 21, at: T0 }]);
  // Another tab's page cannot vouch for this task's tab.
  assert.deepEqual(taskPageGesture(waiting, { id: 'r1', tabId: 99, now: T0 + 500 }).r1.study_tabs, []);
  assert.deepEqual(taskPageGesture(waiting, { id: 'r1', tabId: 7, now: T0 + 500 }).r1.study_tabs, [21]);
  assert.deepEqual(taskPageGesture(waiting, { id: 'r1', tabId: 7, now: T0 + OPENING_WINDOW_MS + 1 }).r1.study_tabs, []);
  // Tabs from unrelated tabs, or from finished tasks, join nothing.
  assert.deepEqual(tabOpened(clicked, { tabId: 22, openerTabId: 3, now: T0 }), clicked);
  const done = only(running({ state: 'ended', gesture_at: T0 }));
  assert.equal(tabOpened(done, { tabId: 22, openerTabId: 7, now: T0 }), done);
});

test('a tab that starts a task of its own leaves the other; a browser start forgets every tab id', () => {
  const records = only(running({ study_tabs: [20, 21], foreground_ms: 1000, foreground_since: T0 - 5000, last_seen: T0 }));
  assert.deepEqual(releaseTab(records, 21).r1.study_tabs, [20]);
  const forgotten = forgetTabs(records).r1;
  assert.deepEqual([forgotten.tab_id, forgotten.study_tabs, forgotten.foreground_since, forgotten.foreground_ms], [null, [], null, 6000]);
});
