// The real worker module on a fake browser and a fake clock: a study that runs in another tab
// is timed there (the worker never sees inside that tab), only while that tab is in front and
// the worker is not idle; a worker stopped and started again carries on the same record; two
// studies in two windows keep their own time.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { OPENING_WINDOW_MS } from '../../../extension/background/study-tabs.js';
import { WINDOW_ID_NONE, fakeBrowser } from '../support/fake-browser.mjs';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const MINUTE = 60_000;
const STUDY = { platform: 'prolific', task_id: '64f0f0f0f0f0f0f0f0f0f0f0', requester_id: '5f1e0c0a0b0c0d0e0f101112', reward: { amount: '2.00', currency: 'GBP' }, advertised_duration_s: 900, time_allotted_s: 3600 };
const OTHER = { ...STUDY, task_id: '65a1a1a1a1a1a1a1a1a1a1a1' };
const realFetch = globalThis.fetch;
const tick = (ms) => mock.timers.tick(ms);

let browser;

beforeEach(async () => {
  mock.timers.enable({ apis: ['Date'], now: T0 });
  // Nothing here may reach a real service, even one running on this machine.
  globalThis.fetch = async () => new Response(null, { status: 503 });
  browser = fakeBrowser();
  await browser.startWorker();
});

afterEach(() => {
  browser.stopWorker();
  mock.timers.reset();
  globalThis.fetch = realFetch;
  delete globalThis.chrome;
});

/** The worker opens the platform's study page in `windowId`; its content script starts the timing. */
async function startStudy(windowId, task = STUDY) {
  const platformTab = await browser.openTab(windowId);
  const started = await browser.message({ type: 'timing.start', task }, { tabId: platformTab });
  assert.ok(started.record_id, JSON.stringify(started));
  return { platformTab, id: started.record_id };
}

/** "Open study in new tab": the click on the platform page, then the tab it opens. */
async function openStudyTab(windowId, platformTab, id) {
  await browser.message({ type: 'timing.gesture', record_id: id }, { tabId: platformTab });
  return browser.openTab(windowId, { opener: platformTab });
}

async function record(id) {
  return (await browser.records())[id];
}

/** The platform page saw the submission: it ends the record with its own clock's figure. */
function pageEnds(platformTab, id, pageActiveSeconds) {
  return browser.message({ type: 'timing.end', record_id: id, active_s: pageActiveSeconds, outcome: 'submitted' }, { tabId: platformTab });
}

test('time in the study tab counts, and closing that tab alone does not end the record', async () => {
  const window = await browser.openWindow();
  const { platformTab, id } = await startStudy(window);
  tick(30_000);
  await browser.message({ type: 'timing.beat', record_id: id, active_s: 30 }, { tabId: platformTab });
  const studyTab = await openStudyTab(window, platformTab, id);
  assert.deepEqual((await record(id)).study_tabs, [studyTab]);
  tick(10 * MINUTE);
  await browser.closeTab(studyTab); // the survey says "you may close this tab"
  assert.equal((await record(id)).state, 'running');
  tick(30_000);
  // The platform page's own clock saw only its minute: it was hidden during the study.
  await pageEnds(platformTab, id, 60);
  const ended = await record(id);
  assert.deepEqual([ended.state, ended.outcome, ended.active_s, ended.ended_at], ['ended', 'submitted', 660, T0 + 11 * MINUTE]);
});

test('switching to an unrelated tab stops the clock; a tab opened with Ctrl+T from the platform page stays unrelated', async () => {
  const window = await browser.openWindow();
  const mail = await browser.openTab(window);
  const { platformTab, id } = await startStudy(window);
  const studyTab = await openStudyTab(window, platformTab, id);
  tick(MINUTE);
  await browser.activate(mail);
  tick(5 * MINUTE);
  await browser.activate(studyTab);
  tick(MINUTE);
  // Chrome names the tab in front as the opener of a new tab: no click on the page, no study tab.
  await browser.activate(platformTab);
  tick(OPENING_WINDOW_MS + 1);
  const lookUp = await browser.openTab(window, { opener: platformTab });
  tick(3 * MINUTE);
  await browser.message({ type: 'timing.gesture', record_id: id }, { tabId: platformTab }); // a click long after
  assert.deepEqual((await record(id)).study_tabs, [studyTab]);
  await browser.activate(studyTab);
  tick(MINUTE);
  await pageEnds(platformTab, id, 5);
  assert.equal((await record(id)).active_s, (MINUTE + MINUTE + OPENING_WINDOW_MS + 1 + MINUTE) / 1000);
  assert.ok(lookUp);
});

test('the click on the platform page may reach the worker just after the tab it opened', async () => {
  const window = await browser.openWindow();
  const { platformTab, id } = await startStudy(window);
  tick(OPENING_WINDOW_MS * 2);
  const studyTab = await browser.openTab(window, { opener: platformTab });
  assert.deepEqual((await record(id)).study_tabs, []);
  tick(300);
  await browser.message({ type: 'timing.gesture', record_id: id }, { tabId: platformTab });
  assert.deepEqual((await record(id)).study_tabs, [studyTab]);
  // A tab the survey opens from its own tab belongs to the study too.
  const consentForm = await browser.openTab(window, { opener: studyTab });
  assert.deepEqual((await record(id)).study_tabs, [studyTab, consentForm]);
});

test('idle, another application in front, or a pause in the popup stop the clock', async () => {
  const window = await browser.openWindow();
  const { platformTab, id } = await startStudy(window);
  await openStudyTab(window, platformTab, id);
  assert.equal(browser.chrome.idle.interval, 60, 'the idle events follow the idle setting');
  tick(MINUTE);
  await browser.setIdle('idle');
  tick(10 * MINUTE);
  await browser.setIdle('active');
  tick(MINUTE);
  await browser.focus(WINDOW_ID_NONE);
  tick(5 * MINUTE);
  await browser.focus(window);
  tick(MINUTE);
  await browser.popup({ type: 'timing.pause', id, paused: true });
  tick(7 * MINUTE);
  await browser.popup({ type: 'timing.pause', id, paused: false });
  tick(MINUTE);
  await browser.setIdle('locked');
  tick(MINUTE);
  await pageEnds(platformTab, id, 0);
  assert.equal((await record(id)).active_s, 4 * 60);
});

test('a worker stopped and started again carries on the same record', async () => {
  const window = await browser.openWindow();
  const mail = await browser.openTab(window);
  const { platformTab, id } = await startStudy(window);
  await openStudyTab(window, platformTab, id);
  tick(5 * MINUTE);
  browser.stopWorker();
  tick(2 * MINUTE); // no event: nothing runs, nothing is lost
  await browser.startWorker();
  assert.equal(browser.events.activated.count, 1, 'one worker listens');
  const shown = await browser.popup({ type: 'state' });
  assert.equal(shown.records.find((item) => item.id === id).active_s, 7 * 60, 'the popup shows the time so far');
  tick(MINUTE);
  await browser.activate(mail);
  tick(MINUTE);
  browser.stopWorker();
  await browser.startWorker();
  await pageEnds(platformTab, id, 10);
  const ended = await record(id);
  assert.deepEqual([ended.active_s, ended.state, Object.keys(await browser.records()).length], [8 * 60, 'ended', 1]);
});

test('two studies in two windows keep their own time', async () => {
  const first = await browser.openWindow();
  const a = await startStudy(first);
  const studyA = await openStudyTab(first, a.platformTab, a.id);
  const second = await browser.openWindow();
  const b = await startStudy(second, OTHER);
  const studyB = await openStudyTab(second, b.platformTab, b.id);
  tick(2 * MINUTE);
  await browser.focus(first);
  tick(3 * MINUTE);
  await browser.activate(a.platformTab);
  tick(MINUTE);
  await browser.focus(second);
  await browser.closeTab(studyB);
  tick(30_000);
  await pageEnds(a.platformTab, a.id, 0);
  await pageEnds(b.platformTab, b.id, 0);
  const records = await browser.records();
  assert.deepEqual([records[a.id].study_tabs, records[b.id].study_tabs], [[studyA], []]);
  assert.deepEqual([records[a.id].active_s, records[b.id].active_s], [4 * 60, 2.5 * 60]);
});

test('the time allotted ends a study whose tab is still open; the browser starting again forgets old tabs', async () => {
  const window = await browser.openWindow();
  const { platformTab, id } = await startStudy(window);
  await openStudyTab(window, platformTab, id);
  tick(STUDY.time_allotted_s * 1000 + 5 * MINUTE);
  await browser.events.alarm.dispatch({ name: 'sync' });
  const ended = await record(id);
  assert.deepEqual([ended.state, ended.outcome, ended.active_s, ended.ended_at], ['ended', 'timed_out', STUDY.time_allotted_s, T0 + STUDY.time_allotted_s * 1000]);
  await browser.events.startup.dispatch();
  const after = await record(id);
  assert.deepEqual([after.tab_id, after.study_tabs, after.foreground_since], [null, [], null]);
});
