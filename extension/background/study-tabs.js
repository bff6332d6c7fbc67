// Which tabs belong to a running task, as pure functions over the records map. Prolific,
// CloudResearch Connect and the like run a started study in another tab, opened from the
// task page; the browser names that page's tab as the new tab's opener (tabs.onCreated,
// openerTabId: no "tabs" permission and no access to the study's site needed).
//
// Chrome also names the current tab as the opener of a tab opened with Ctrl+T or the
// new-tab button ("to quickly look up something": TabStripModel::AddWebContents), so a tab
// opened from the task page joins the task only when the worker clicked on that page within
// OPENING_WINDOW_MS of it opening; the click and the new tab reach the worker in either order.
// Tabs opened from a study tab join without that check: FairClick never looks inside the
// study's pages, and a survey opening its next step in a new window is common.

import { closeSegment, taskTabs } from './foreground.js';

export const OPENING_WINDOW_MS = 10_000;
const CANDIDATES_KEPT = 5;

const running = (records) => Object.values(records).filter((record) => record.state === 'running');
const latest = (found) => found.sort((a, b) => b.last_seen - a.last_seen)[0] ?? null;
const near = (a, b) => a !== null && b !== null && Math.abs(a - b) <= OPENING_WINDOW_MS;

function adopt(records, record, tabId) {
  const studyTabs = record.study_tabs ?? [];
  const candidates = (record.tab_candidates ?? []).filter((candidate) => candidate.id !== tabId);
  return { ...records, [record.id]: { ...record, study_tabs: studyTabs.includes(tabId) ? studyTabs : [...studyTabs, tabId], tab_candidates: candidates } };
}

/** A tab opened: it joins the running task whose tab opened it (see above). */
export function tabOpened(records, { tabId, openerTabId, now }) {
  if (!Number.isInteger(tabId) || !Number.isInteger(openerTabId)) return records;
  const tasks = running(records);
  if (tasks.some((record) => taskTabs(record).includes(tabId))) return records;
  const fromStudy = latest(tasks.filter((record) => (record.study_tabs ?? []).includes(openerTabId)));
  if (fromStudy) return adopt(records, fromStudy, tabId);
  const fromTask = latest(tasks.filter((record) => record.tab_id === openerTabId));
  if (!fromTask) return records;
  if (near(fromTask.gesture_at ?? null, now)) return adopt(records, fromTask, tabId);
  const candidates = [...(fromTask.tab_candidates ?? []), { id: tabId, at: now }].filter((candidate) => near(candidate.at, now)).slice(-CANDIDATES_KEPT);
  return { ...records, [fromTask.id]: { ...fromTask, tab_candidates: candidates } };
}

/** The worker clicked on the task page (in `tabId`): tabs it opened moments ago are the study's. */
export function taskPageGesture(records, { id, tabId, now }) {
  const record = records[id];
  if (!record || record.state !== 'running' || record.tab_id !== tabId) return records;
  let next = { ...records, [id]: { ...record, gesture_at: now } };
  for (const candidate of record.tab_candidates ?? []) {
    if (near(candidate.at, now)) next = adopt(next, next[id], candidate.id);
  }
  const kept = (next[id].tab_candidates ?? []).filter((candidate) => near(candidate.at, now));
  return { ...next, [id]: { ...next[id], tab_candidates: kept } };
}

/** A closed tab leaves every task it belonged to (a study tab's closing ends nothing). */
export function tabClosed(records, tabId) {
  let next = records;
  for (const record of Object.values(records)) {
    const studyTabs = record.study_tabs ?? [];
    const candidates = record.tab_candidates ?? [];
    if (!studyTabs.includes(tabId) && !candidates.some((candidate) => candidate.id === tabId)) continue;
    next = {
      ...next,
      [record.id]: { ...record, study_tabs: studyTabs.filter((id) => id !== tabId), tab_candidates: candidates.filter((candidate) => candidate.id !== tabId) },
    };
  }
  return next;
}

/** A tab that starts a task page of its own is no longer another task's study tab. */
export function releaseTab(records, tabId) {
  return Number.isInteger(tabId) ? tabClosed(records, tabId) : records;
}

/**
 * The browser started again: tab ids from before mean nothing now (new tabs may reuse them).
 * A segment left open by a crash ends where the record was last heard from.
 */
export function forgetTabs(records) {
  let next = records;
  for (const record of Object.values(records)) {
    const known = record.tab_id !== null || (record.study_tabs ?? []).length || (record.tab_candidates ?? []).length || (record.foreground_since ?? null) !== null;
    if (!known) continue;
    next = { ...next, [record.id]: { ...closeSegment(record, record.last_seen), tab_id: null, study_tabs: [], tab_candidates: [] } };
  }
  return next;
}
