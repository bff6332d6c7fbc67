// Work driven by chrome.alarms (and run right away after a record ends): end records whose
// tab went silent, move reviewed records into the outbox, sync what is due, schedule the
// next try, and show on the toolbar icon how many records wait for the worker's answer.

import { reconcile } from './outbox.js';
import { syncOnce } from './sync.js';
import { needsAnswer, sweep } from './timings.js';

export const SYNC_ALARM = 'sync';
export const RETRY_ALARM = 'retry';

export async function sweepAndQueue(context) {
  const settings = await context.settings();
  const now = context.now();
  const records = await context.store.update('timings', (current) => sweep(current, { now, reviewMs: settings.reviewMinutes * 60_000 }).records, {});
  await context.store.update('outbox', (outbox) => reconcile(outbox, records, now), []);
  return records;
}

export async function housekeeping(context, { force = false } = {}) {
  await sweepAndQueue(context);
  const result = await syncOnce(await context.deps(), { force });
  await scheduleRetry(context);
  await showBadge(context);
  return result;
}

/** A one-off alarm at the earliest retry, so a backoff shorter than the period is honoured. */
export async function scheduleRetry(context) {
  const outbox = await context.store.get('outbox', []);
  const waiting = outbox.filter((entry) => !entry.parked).map((entry) => entry.next_at);
  if (!waiting.length) {
    await context.chrome.alarms.clear(RETRY_ALARM);
    return;
  }
  await context.chrome.alarms.create(RETRY_ALARM, { when: Math.max(context.now() + 1000, Math.min(...waiting)) });
}

export async function ensureAlarms(chrome) {
  if (!(await chrome.alarms.get(SYNC_ALARM))) await chrome.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
}

export async function showBadge(context) {
  const records = await context.store.get('timings', {});
  const waiting = needsAnswer(records).length;
  const { action } = context.chrome;
  if (!action) return;
  await action.setBadgeText({ text: waiting ? String(waiting) : '' });
  if (waiting) await action.setBadgeBackgroundColor({ color: '#8a4b00' });
}
