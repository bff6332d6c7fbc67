// Time a task's own tabs spent in front of the worker, measured by the extension's worker
// from the browser's tab, window and idle events. It covers the study a platform opens in
// another tab (a survey site FairClick has no access to and never reads), which the task
// page's own clock cannot see. Only timestamps are stored: a segment opens when one of the
// task's tabs is the active tab of the focused window while the worker is not idle, and
// closes when that stops. A stopped service worker loses nothing: the open segment's start
// is in storage and the next event closes it at the right time.

/** The task page's tab and the study tabs opened from it. */
export function taskTabs(record) {
  return [record.tab_id, ...(record.study_tabs ?? [])].filter(Number.isInteger);
}

/** Milliseconds in front, the open segment counted up to `now`. */
export function foregroundMs(record, now) {
  const open = record.foreground_since ?? null;
  return (record.foreground_ms ?? 0) + (open === null ? 0 : Math.max(0, now - open));
}

/**
 * The record's active time: the more generous of the task page's clock (which sees the
 * worker's input on the platform's own page) and the tabs' time in front (which also sees
 * the study tabs). Both measure the task page while it is in front, so they are never added.
 */
export function activeSecondsAt(record, now) {
  return Math.max(record.active_s, foregroundMs(record, now) / 1000);
}

export function closeSegment(record, at) {
  if ((record.foreground_since ?? null) === null) return record;
  const closed = { ...record, foreground_ms: foregroundMs(record, Math.max(at, record.foreground_since)), foreground_since: null };
  return { ...closed, active_s: activeSecondsAt(closed, at), last_seen: Math.max(record.last_seen, at) };
}

function openSegment(record, at) {
  // Seeing the task in front is hearing from it: the record is alive.
  return { ...record, foreground_ms: record.foreground_ms ?? 0, foreground_since: at, last_seen: Math.max(record.last_seen, at) };
}

/**
 * Opens or closes each running record's segment for the tab now in front (`front`: the
 * focused window's active tab while the worker is active, else null). A paused record never
 * counts. Returns `records` itself when nothing changed.
 */
export function settle(records, { front, now }) {
  let next = records;
  for (const record of Object.values(records)) {
    if (record.state !== 'running') continue;
    const inFront = front !== null && !record.paused && taskTabs(record).includes(front);
    const open = (record.foreground_since ?? null) !== null;
    if (inFront === open) continue;
    next = { ...next, [record.id]: inFront ? openSegment(record, now) : closeSegment(record, now) };
  }
  return next;
}
