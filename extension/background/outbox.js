// The outbox: what must reach the service, kept in storage under "outbox" as a list of
// entries {id, kind, record_id, payload, attempts, next_at, parked, error}. The payload
// is frozen when queued, so every retry sends the same idempotency key and the service
// counts the record once however many times the answer was lost. Pure functions only.

import { classifyStatus, retryAfterMs, retryDelay } from './backoff.js';
import { outcomePayload, timingPayload } from './payloads.js';

export const BATCH_SIZE = 100;

export function timingEntry(record, now) {
  return { id: `timing:${record.id}`, kind: 'timing', record_id: record.id, payload: timingPayload(record), attempts: 0, next_at: now, parked: false, error: null, created_at: now };
}

export function outcomeEntry(record, outcome, now) {
  return {
    id: `outcome:${record.id}:${outcome.status}`,
    kind: 'outcome',
    record_id: record.id,
    payload: outcomePayload(record, outcome),
    attempts: 0,
    next_at: now,
    parked: false,
    error: null,
    created_at: now,
  };
}

export function enqueue(outbox, entries) {
  const known = new Set(outbox.map((entry) => entry.id));
  return [...outbox, ...entries.filter((entry) => !known.has(entry.id))];
}

/**
 * Entries to send now, grouped in batches per kind. An outcome waits until its timing is
 * acknowledged (the service files the outcome under the timing's key).
 */
export function dueBatches(outbox, records, { now, force = false, size = BATCH_SIZE }) {
  const due = { timing: [], outcome: [] };
  for (const entry of outbox) {
    if (entry.parked || (!force && entry.next_at > now) || !records[entry.record_id]) continue;
    if (entry.kind === 'outcome' && records[entry.record_id]?.state !== 'synced') continue;
    due[entry.kind]?.push(entry);
  }
  const batches = [];
  for (const kind of ['timing', 'outcome']) {
    for (let start = 0; start < due[kind].length; start += size) batches.push({ kind, entries: due[kind].slice(start, start + size) });
  }
  return batches;
}

/**
 * How one answer changes the entries that were sent. Returns the verdict and the new
 * outbox: 'ok' removes them, 'retry' schedules them with backoff (at least Retry-After),
 * 'park' sets them aside with the service's error, 'split' asks the caller to send a
 * refused batch one record at a time so one bad record does not park good ones.
 */
export function settle(outbox, entries, answer, { now, random = Math.random }) {
  const verdict = classifyStatus(answer.status);
  const ids = new Set(entries.map((entry) => entry.id));
  if (verdict === 'ok') return { verdict, outbox: outbox.filter((entry) => !ids.has(entry.id)) };
  if (verdict === 'park' && entries.length > 1) return { verdict: 'split', outbox };
  const error = { status: answer.status, code: answer.error?.code ?? `http_${answer.status}`, message: answer.error?.message ?? '', at: now };
  const next = outbox.map((entry) => {
    if (!ids.has(entry.id)) return entry;
    if (verdict === 'park') return { ...entry, parked: true, error };
    const attempts = entry.attempts + 1;
    const wait = Math.max(retryDelay(attempts, random), retryAfterMs(answer.retryAfter, now));
    return { ...entry, attempts, next_at: now + wait, error };
  });
  return { verdict, outbox: next };
}

/** Pending (not parked) entries, parked ones, and when the next one is due. */
export function summary(outbox) {
  const pending = outbox.filter((entry) => !entry.parked);
  return {
    pending: pending.length,
    parked: outbox.length - pending.length,
    next_at: pending.length ? Math.min(...pending.map((entry) => entry.next_at)) : null,
  };
}

/** Everything queued for a record, when the worker deletes or corrects it before it syncs. */
export function withoutRecord(outbox, recordId, kind = null) {
  return outbox.filter((entry) => entry.record_id !== recordId || (kind !== null && entry.kind !== kind));
}

/**
 * Entries that records in state "queued" should have but the outbox lacks (the worker was
 * stopped between the two writes), and entries whose record the worker deleted. Sending
 * an entry again is harmless: its idempotency key makes the service count it once.
 */
export function reconcile(outbox, records, now) {
  const kept = outbox.filter((entry) => records[entry.record_id]);
  const known = new Set(kept.map((entry) => entry.id));
  const missing = [];
  for (const record of Object.values(records)) {
    if (record.state === 'queued' && !known.has(`timing:${record.id}`)) missing.push(timingEntry(record, now));
    for (const later of record.outcomes || []) {
      if (later.state === 'queued' && !known.has(`outcome:${record.id}:${later.status}`)) missing.push(outcomeEntry(record, later, now));
    }
  }
  return missing.length || kept.length !== outbox.length ? [...kept, ...missing] : outbox;
}
