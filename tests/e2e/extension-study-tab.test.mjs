// A Prolific study runs on the researcher's site, in the tab the study page opens: the time
// spent there counts in the study's record, although the extension has no access to that
// site. Headless Chromium reports every page as visible and focused, so the platform page's
// own clock keeps counting while hidden, but only for the idle limit after its last input:
// with a 10 s limit and 25 s in the study tab, only the worker's following of the study
// tab can bring the record near the time spent there.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { eventually, launchWithExtension, serve } from './support/browser.mjs';
import { SURVEY, serveProlific, study } from './support/prolific.mjs';
import { startService } from './support/service.mjs';

const STUDY = study('64f4f4f4f4f4f4f4f4f4f4f4', { name: 'Reaction times', pence: 150, minutes: 10 });
const IDLE_SECONDS = 10;
const IN_STUDY_MS = 25_000;
// Slack for the browser's events reaching the worker at both ends of the stay.
const SLACK_S = 3;

let service;
let browser;

before(async () => {
  service = await startService();
  browser = await launchWithExtension();
  await browser.configure({ serviceUrl: service.url, idleSeconds: IDLE_SECONDS, language: 'en' });
  await serveProlific(browser.context, [STUDY]);
  await serve(browser.context, `${SURVEY}/**`, await readFile(new URL('./fixtures/survey.html', import.meta.url), 'utf8'));
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

async function record(id) {
  return (await browser.storage('timings'))?.[id];
}

test('the time spent in the study\'s own tab counts in the study\'s record', async (t) => {
  const platform = await browser.context.newPage();
  await platform.goto(`https://app.prolific.com/studies/${STUDY.id}`);
  const running = await eventually(async () => Object.values((await browser.storage('timings')) ?? {}).find((item) => item.state === 'running' && item.task_id === STUDY.id), { what: 'a running timing' });

  // "Open study in new tab", clicked by the worker on the page in front.
  await platform.bringToFront();
  const [survey] = await Promise.all([browser.context.waitForEvent('page'), platform.locator('#open-study').click()]);
  const enteredAt = Date.now();
  await survey.waitForLoadState();
  assert.equal(new URL(survey.url()).host, new URL(SURVEY).host);
  await eventually(async () => (await record(running.id))?.study_tabs?.length === 1, { what: 'the survey tab joining the study' });

  // The worker answers the survey for a while; the platform page sees none of it.
  await survey.locator('#answer').fill('Fine, quick and clear.');
  await new Promise((ok) => setTimeout(ok, IN_STUDY_MS));
  await survey.locator('#finish').click();
  const leftAt = Date.now();
  await survey.close();
  const afterClose = await eventually(async () => {
    const current = await record(running.id);
    return current?.study_tabs?.length === 0 && current;
  }, { what: 'the survey tab leaving the study' });
  assert.equal(afterClose.state, 'running', 'closing the study tab alone does not end the study');

  // Back on Prolific the worker says it was submitted, in the popup.
  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl('extension/popup/popup.html'));
  const card = popup.locator(`article.record[data-record-id="${running.id}"]`);
  await card.locator('select[name="outcome"]').selectOption('submitted');
  await card.locator('button[type="submit"]').click();
  // The worker's own answer needs no review: the record is sent at once.
  const ended = await eventually(async () => {
    const current = await record(running.id);
    return current?.state === 'synced' && current;
  }, { what: 'the record synced' });

  const inStudySeconds = (leftAt - enteredAt) / 1000;
  t.diagnostic(`${inStudySeconds} s in the study tab; record active ${ended.active_s} s, wall ${(ended.ended_at - ended.started_at) / 1000} s`);
  assert.equal(ended.outcome, 'submitted');
  assert.ok(ended.active_s >= inStudySeconds - SLACK_S, `active ${ended.active_s} s after ${inStudySeconds} s in the study tab`);
  assert.ok(ended.active_s <= (ended.ended_at - ended.started_at) / 1000, 'never more than the wall time');
  const [[storedActive]] = await service.query('SELECT active_s FROM timings WHERE task_id = ?', [STUDY.id]);
  assert.ok(storedActive >= inStudySeconds - SLACK_S, `the service holds ${storedActive} s`);
  // The survey's address (it carries the participant's Prolific id) never entered the record.
  const everything = await browser.worker.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
  assert.ok(everything.includes(running.id) && !everything.includes('survey.example.org'));
});
