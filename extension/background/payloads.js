// Every body the extension sends, built in one place from local records. Only the fields
// named here can leave the browser; tests validate each against shared_schema/json/.

// Titles and requester names stay in the browser: the estimate does not use them, and a
// task's title often names who it screens for (age, health, ...), i.e. who the worker is.
const LISTING_FIELDS = ['platform', 'task_id', 'requester_id', 'reward', 'advertised_duration_s', 'time_allotted_s'];
export const MAX_SCORE_LISTINGS = 200;
const MAX_ACTIVE_S = 12 * 3600;
const MAX_WALL_S = 7 * 24 * 3600;

function pick(source, names) {
  const picked = {};
  for (const name of names) {
    if (source[name] !== undefined && source[name] !== null && source[name] !== '') picked[name] = source[name];
  }
  return picked;
}

/** A listing as the contract knows it: known fields only, reward copied as decimal string. */
export function listingPayload(listing) {
  const payload = pick(listing, LISTING_FIELDS);
  payload.reward = { amount: String(listing.reward.amount), currency: listing.reward.currency };
  return payload;
}

export function scoreRequest(listings, threshold) {
  const body = { listings: listings.map(listingPayload) };
  if (threshold) body.threshold = { amount: threshold.amount, currency: threshold.currency };
  return body;
}

export function installRequest(extensionVersion) {
  return extensionVersion ? { extension_version: String(extensionVersion).slice(0, 32) } : {};
}

export function adapterHealthPayload({ adapter, adapter_version, listings_found, blocks_seen }) {
  const body = { adapter: String(adapter), listings_found: Math.max(0, Math.trunc(listings_found) || 0) };
  if (adapter_version) body.adapter_version = String(adapter_version).slice(0, 32);
  if (blocks_seen) body.blocks_seen = Math.max(0, Math.trunc(blocks_seen));
  return body;
}

const round1 = (seconds) => Math.round(seconds * 10) / 10;

/**
 * A finished local timing record -> v1 Timing. Times are clamped to what the contract
 * accepts (active <= wall <= 7 days), so a clock quirk parks nothing.
 */
export function timingPayload(record) {
  const startedAt = record.started_at;
  const endedAt = Math.min(record.ended_at, startedAt + MAX_WALL_S * 1000);
  const wall = Math.max(0, (endedAt - startedAt) / 1000);
  const active = Math.min(record.active_s, wall, MAX_ACTIVE_S);
  const body = {
    idempotency_key: record.idempotency_key,
    platform: record.platform,
    task_id: record.task_id,
    reward: { amount: record.reward.amount, currency: record.reward.currency },
    active_s: round1(Math.max(0, Math.floor(active * 10) / 10)),
    wall_s: round1(Math.ceil(wall * 10) / 10),
    outcome: record.outcome,
    started_at: new Date(startedAt).toISOString(),
    ended_at: new Date(endedAt).toISOString(),
  };
  for (const name of ['requester_id', 'advertised_duration_s', 'time_allotted_s', 'assignment_hash']) {
    if (record[name] !== undefined && record[name] !== null) body[name] = record[name];
  }
  return body;
}

export function outcomePayload(record, outcome) {
  const body = {
    idempotency_key: record.idempotency_key,
    platform: record.platform,
    task_id: record.task_id,
    status: outcome.status,
    at: new Date(outcome.at).toISOString(),
  };
  if (record.requester_id) body.requester_id = record.requester_id;
  return body;
}

export const BATCH_PATHS = { timing: '/v1/timings', outcome: '/v1/outcomes' };
export const BATCH_KEYS = { timing: 'timings', outcome: 'outcomes' };
