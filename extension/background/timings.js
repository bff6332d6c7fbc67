// The life of one local timing record, as pure functions over the records map kept in
// storage under "timings" (id -> record):
//   running (task page open; may be paused) -> ended (waits for its ending and the review
//   delay, during which the worker can correct or discard it) -> queued (in the outbox)
//   -> synced (acknowledged by the service) | parked (refused; kept with its error).
// Only the fields copied here ever enter a record: never the worker's platform id.
// Active time also counts the study tabs opened from the task page: foreground.js.

import { closeSegment } from './foreground.js';

/** A page reload or a short detour resumes the same record instead of starting another. */
export const RESUME_WINDOW_MS = 30 * 60_000;
/** A running record not heard from for this long lost its tab (crash, closed window). */
export const STALE_MS = 90_000;
export const OUTCOMES = ['submitted', 'returned', 'screened_out', 'timed_out'];
export const LATER_STATUSES = ['approved', 'rejected', 'paid'];
const EDITABLE = new Set(['running', 'ended', 'parked']);

const positiveInt = (value) => (Number.isInteger(value) && value > 0 ? value : null);

/** The task fields an adapter's readTask may give, checked and copied one by one. */
export function taskFields(task) {
  if (!task || typeof task.platform !== 'string' || typeof task.task_id !== 'string' || !task.task_id) return null;
  if (!task.reward || typeof task.reward.amount !== 'string' || typeof task.reward.currency !== 'string') return null;
  return {
    platform: task.platform,
    task_id: task.task_id.slice(0, 128),
    requester_id: typeof task.requester_id === 'string' && task.requester_id ? task.requester_id.slice(0, 128) : null,
    reward: { amount: task.reward.amount, currency: task.reward.currency },
    advertised_duration_s: positiveInt(task.advertised_duration_s),
    time_allotted_s: positiveInt(task.time_allotted_s),
    title: typeof task.title === 'string' ? task.title.slice(0, 300) : null,
  };
}

function sameTask(record, fields, assignmentHash) {
  return record.platform === fields.platform && record.task_id === fields.task_id && (record.assignment_hash ?? null) === (assignmentHash ?? null);
}

/** Starts timing a task page, or resumes the record of the same task left moments ago. */
export function startOrResume(records, { task, assignmentHash = null, tabId = null, now, newId }) {
  const fields = taskFields(task);
  if (!fields) return { records, record: null };
  const resumable = Object.values(records)
    .filter((record) => sameTask(record, fields, assignmentHash)
      && (record.state === 'running' || (record.state === 'ended' && record.outcome === null))
      && now - record.last_seen < RESUME_WINDOW_MS)
    .sort((a, b) => b.last_seen - a.last_seen)[0];
  if (resumable) {
    const record = { ...resumable, state: 'running', ended_at: null, review_until: null, tab_id: tabId, last_seen: now };
    return { records: { ...records, [record.id]: record }, record };
  }
  const id = newId();
  const record = {
    id,
    idempotency_key: newId(),
    ...fields,
    assignment_hash: assignmentHash,
    tab_id: tabId,
    started_at: now,
    last_seen: now,
    ended_at: null,
    active_s: 0,
    // The study's own tabs and the time the task's tabs spent in front (study-tabs.js, foreground.js).
    study_tabs: [],
    tab_candidates: [],
    gesture_at: null,
    foreground_ms: 0,
    foreground_since: null,
    paused: false,
    state: 'running',
    outcome: null,
    outcome_source: null,
    corrected: false,
    review_until: null,
    synced_at: null,
    error: null,
    outcomes: [],
  };
  return { records: { ...records, [id]: record }, record };
}

/** A heartbeat from the task page: `active_s` is the page clock's total for this record. */
export function beat(records, { id, activeSeconds, now }) {
  const record = records[id];
  if (!record || record.state !== 'running') return records;
  return { ...records, [id]: { ...record, active_s: Math.max(record.active_s, activeSeconds || 0), last_seen: now } };
}

function ended(running, at, reviewMs, outcome, source) {
  const record = closeSegment(running, at);
  let finalOutcome = record.outcome;
  let finalSource = record.outcome_source;
  if (outcome && OUTCOMES.includes(outcome) && finalSource !== 'worker') {
    finalOutcome = outcome;
    finalSource = source;
  }
  const wallSeconds = (at - record.started_at) / 1000;
  if (!finalOutcome && record.time_allotted_s && wallSeconds >= record.time_allotted_s) {
    finalOutcome = 'timed_out';
    finalSource = 'timer';
  }
  return {
    ...record,
    state: 'ended',
    ended_at: at,
    active_s: Math.min(record.active_s, Math.max(0, wallSeconds)),
    outcome: finalOutcome,
    outcome_source: finalSource,
    review_until: at + reviewMs,
  };
}

export function end(records, { id, activeSeconds, now, outcome = null, reviewMs }) {
  const record = records[id];
  if (!record || record.state !== 'running') return records;
  const updated = { ...record, active_s: Math.max(record.active_s, activeSeconds || 0) };
  return { ...records, [id]: ended(updated, now, reviewMs, outcome, 'adapter') };
}

/** An adapter saw how the task ended (e.g. a "submitted" page) in this tab or one of its study tabs. */
export function hint(records, { platform, tabId, outcome, now, reviewMs }) {
  if (!OUTCOMES.includes(outcome)) return records;
  const target = Object.values(records)
    .filter((record) => record.platform === platform && (record.tab_id === tabId || (record.study_tabs ?? []).includes(tabId))
      && (record.state === 'running' || record.state === 'ended') && record.outcome_source !== 'worker'
      && now - record.last_seen < RESUME_WINDOW_MS)
    .sort((a, b) => b.last_seen - a.last_seen)[0];
  if (!target) return records;
  const next = target.state === 'running' ? ended(target, now, reviewMs, outcome, 'adapter') : { ...target, outcome, outcome_source: 'adapter' };
  return { ...records, [target.id]: next };
}

export function setPaused(records, { id, paused, now }) {
  const record = records[id];
  if (!record || record.state !== 'running') return records;
  const counted = paused && now !== undefined ? closeSegment(record, now) : record;
  return { ...records, [id]: { ...counted, paused: Boolean(paused) } };
}

/**
 * The worker's correction from the popup: how it ended and/or the active minutes. A
 * running record is ended by it; a parked one goes back to review to be sent again.
 */
export function correct(records, { id, outcome, activeSeconds, now, reviewMs }) {
  const record = records[id];
  if (!record || !EDITABLE.has(record.state)) return { records, error: 'error_not_editable' };
  if (outcome !== undefined && !OUTCOMES.includes(outcome)) return { records, error: 'error_outcome' };
  let next = record.state === 'running' ? ended(record, now, reviewMs, null, null) : { ...record };
  if (outcome !== undefined) next = { ...next, outcome, outcome_source: 'worker' };
  if (activeSeconds !== undefined) {
    const wallSeconds = (next.ended_at - next.started_at) / 1000;
    if (!(Number.isFinite(activeSeconds) && activeSeconds >= 0 && activeSeconds <= wallSeconds)) {
      return { records, error: 'error_active_time' };
    }
    next = { ...next, active_s: activeSeconds, corrected: true };
  }
  // The worker's own answer is the review: nothing more to wait for.
  next = { ...next, state: 'ended', error: null, review_until: now };
  return { records: { ...records, [id]: next }, error: null };
}

/** Later news about a submitted task (approved, rejected, paid), sent as an outcome. */
export function addLaterStatus(records, { id, status, now }) {
  const record = records[id];
  if (!record || !LATER_STATUSES.includes(status) || record.outcome !== 'submitted') return { records, added: null };
  if (!['queued', 'synced'].includes(record.state) || record.outcomes.some((item) => item.status === status)) return { records, added: null };
  const added = { status, at: now, state: 'queued', error: null };
  return { records: { ...records, [id]: { ...record, outcomes: [...record.outcomes, added] } }, added };
}

/**
 * A running record is silent when its page stopped reporting and none of its tabs is in
 * front or still open as a study tab (a hidden or frozen platform tab may report seldom
 * while the worker is in the study).
 */
function silent(record, now) {
  return now - record.last_seen > STALE_MS && (record.foreground_since ?? null) === null && !(record.study_tabs ?? []).length;
}

/**
 * Housekeeping on every alarm: running records whose tab went silent end where they were
 * last seen, those past their time allotted end when it ran out; ended records with an
 * ending, past their review delay, are ready to send.
 */
export function sweep(records, { now, reviewMs }) {
  let changed = records;
  const ready = [];
  for (const record of Object.values(records)) {
    let current = record;
    const deadline = current.time_allotted_s ? current.started_at + current.time_allotted_s * 1000 : Infinity;
    if (current.state === 'running' && silent(current, now)) {
      current = ended(current, Math.min(current.last_seen, deadline), reviewMs, null, null);
    } else if (current.state === 'running' && now >= deadline) {
      // The platform closed the task then, whatever tab is still open; the worker may review
      // it from now, however late this sweep came.
      current = { ...ended(current, deadline, reviewMs, null, null), review_until: now + reviewMs };
    }
    if (current.state === 'ended' && current.outcome && now >= current.review_until) {
      current = { ...current, state: 'queued' };
      ready.push(current);
    }
    if (current !== record) changed = { ...changed, [current.id]: current };
  }
  return { records: changed, ready };
}

/** Records that need the worker: ended without a known ending. */
export function needsAnswer(records) {
  return Object.values(records).filter((record) => record.state === 'ended' && !record.outcome);
}
