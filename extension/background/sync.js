// Drains the outbox: due entries in batches to /v1/timings and /v1/outcomes, each answer
// settled by outbox.settle (acknowledged, retried with backoff, or parked), the local
// records marked accordingly, and the last sync status kept for the popup.

import { callService } from './api.js';
import { ensureInstall, forgetInstall } from './install.js';
import { dueBatches, settle, summary } from './outbox.js';
import { BATCH_KEYS, BATCH_PATHS } from './payloads.js';

function markRecords(records, kind, entries, verdict, error, now) {
  const next = { ...records };
  for (const entry of entries) {
    const record = next[entry.record_id];
    if (!record) continue;
    if (kind === 'timing') {
      if (verdict === 'ok') next[record.id] = { ...record, state: 'synced', synced_at: now, error: null };
      else if (verdict === 'park') next[record.id] = { ...record, state: 'parked', error };
      else next[record.id] = { ...record, error };
    } else {
      const status = entry.payload.status;
      const outcomes = record.outcomes.map((item) => {
        if (item.status !== status) return item;
        if (verdict === 'ok') return { ...item, state: 'synced', synced_at: now, error: null };
        return { ...item, state: verdict === 'park' ? 'parked' : 'queued', error };
      });
      next[record.id] = { ...record, outcomes };
    }
  }
  return next;
}

/**
 * One sync run. `deps`: {store, base, version, fetchImpl, now, random}. `force` sends
 * entries still waiting out their backoff (the worker pressed "Sync now").
 */
export async function syncOnce(deps, { force = false } = {}) {
  const { store, base, version, fetchImpl, now, random } = deps;
  const started = now();
  const due = async (kind) => {
    const records = await store.get('timings', {});
    const outbox = await store.get('outbox', []);
    return dueBatches(outbox, records, { now: started, force }).filter((batch) => batch.kind === kind);
  };
  const firstBatches = [...await due('timing'), ...await due('outcome')];
  if (!firstBatches.length) return { sent: 0 };
  const status = { last_attempt_at: started, service: base };
  let lastError = null;
  let sent = 0;

  const install = await ensureInstall({ store, base, version, fetchImpl, now });
  if (install.error) {
    for (const batch of firstBatches) {
      await store.update('outbox', (current) => settle(current, batch.entries, install.error, { now: now(), random }).outbox, []);
    }
    lastError = describe(install.error, now());
    await recordStatus(store, { ...status, last_error: lastError });
    return { sent: 0, error: lastError };
  }
  let { token } = install;

  const send = async (kind, entries) => {
    const body = { [BATCH_KEYS[kind]]: entries.map((entry) => entry.payload) };
    let answer = await callService(base, BATCH_PATHS[kind], { token, body, fetchImpl });
    if (answer.status === 401) {
      await forgetInstall(store, token);
      const again = await ensureInstall({ store, base, version, fetchImpl, now });
      if (again.token) {
        token = again.token;
        answer = await callService(base, BATCH_PATHS[kind], { token, body, fetchImpl });
      }
    }
    let verdict;
    await store.update('outbox', (current) => {
      const settled = settle(current, entries, answer, { now: now(), random });
      verdict = settled.verdict;
      return settled.outbox;
    }, []);
    if (verdict === 'split') {
      for (const entry of entries) await send(kind, [entry]);
      return;
    }
    const error = verdict === 'ok' ? null : describe(answer, now());
    if (verdict === 'ok') sent += entries.length;
    else lastError = error;
    await store.update('timings', (current) => markRecords(current, kind, entries, verdict === 'reauth' ? 'retry' : verdict, error, now()), {});
  };

  // Timings first: an outcome becomes due once its timing is acknowledged, in this same run.
  for (const kind of ['timing', 'outcome']) {
    for (const batch of await due(kind)) await send(batch.kind, batch.entries);
  }
  const finished = now();
  await recordStatus(store, { ...status, ...(sent ? { last_success_at: finished } : {}), last_error: lastError });
  return { sent, error: lastError };
}

function describe(answer, at) {
  return { status: answer.status, code: answer.error?.code ?? `http_${answer.status}`, message: answer.error?.message ?? '', at };
}

async function recordStatus(store, change) {
  await store.update('sync', (current) => ({ ...(current || {}), ...change }), {});
}

/** What the popup shows about the queue. */
export async function syncState(store) {
  const outbox = await store.get('outbox', []);
  return { ...summary(outbox), status: await store.get('sync', {}) };
}
