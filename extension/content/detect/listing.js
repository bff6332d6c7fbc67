// Every listing an adapter or the detector returns is built here, so that page text, which
// is untrusted, always leaves as bounded plain strings and numbers the v1 contract accepts
// (shared_schema/json/Listing.schema.json), and never as markup.

const PLATFORM = /^[a-z0-9][a-z0-9_.:-]*$/;
const AMOUNT = /^(0|[1-9][0-9]{0,7})(\.[0-9]{1,4})?$/;
const MAX_DURATION_S = 7 * 24 * 3600;
// Control characters and bidi overrides would let a title disguise itself in the overlay.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const CURRENCIES = (() => {
  try {
    return new Set(Intl.supportedValuesOf('currency'));
  } catch {
    return null; // an engine without the list: the shape check below still applies
  }
})();

/** Collapses whitespace, drops invisible characters, cuts at `max` code points; '' if nothing is left. */
export function cleanText(value, max = 300) {
  if (value === null || value === undefined) return '';
  const text = String(value).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const points = Array.from(text);
  return points.length > max ? points.slice(0, max).join('').trim() : text;
}

/** 64-bit FNV-1a of the UTF-8 text, as 16 hex digits: stable across browsers and runs. */
export function stableHash(text) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(String(text))) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export function isCurrency(code) {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && (!CURRENCIES || CURRENCIES.has(code));
}

export function isMoney(money) {
  return Boolean(money) && typeof money.amount === 'string' && AMOUNT.test(money.amount) && isCurrency(money.currency);
}

function seconds(value) {
  const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  const rounded = Math.round(number);
  return rounded >= 1 && rounded <= MAX_DURATION_S ? rounded : undefined;
}

/**
 * A v1 Listing from loosely typed fields, or null when the required ones (platform, task id,
 * reward) are missing or malformed. Optional fields that do not fit are left out, not guessed.
 */
export function buildListing(fields) {
  const platform = typeof fields.platform === 'string' ? fields.platform : '';
  if (!platform || platform.length > 80 || !PLATFORM.test(platform)) return null;
  let taskId = cleanText(fields.task_id, 10_000);
  if (!taskId) return null;
  if (Array.from(taskId).length > 128) taskId = `h:${stableHash(taskId)}`;
  const reward = fields.reward;
  if (!isMoney(reward)) return null;

  const listing = { platform, task_id: taskId, reward: { amount: reward.amount, currency: reward.currency } };
  const requesterId = cleanText(fields.requester_id, 10_000);
  if (requesterId) listing.requester_id = Array.from(requesterId).length > 128 ? `h:${stableHash(requesterId)}` : requesterId;
  const requesterName = cleanText(fields.requester_name, 200);
  if (requesterName) listing.requester_name = requesterName;
  const title = cleanText(fields.title, 300);
  if (title) listing.title = title;
  const advertised = seconds(fields.advertised_duration_s);
  if (advertised !== undefined) listing.advertised_duration_s = advertised;
  const allotted = seconds(fields.time_allotted_s);
  if (allotted !== undefined) listing.time_allotted_s = allotted;
  return listing;
}

/** The platform name of the generic detector on `host`: `generic:<host>`, within the contract's bounds. */
export function genericPlatform(host) {
  const clean = String(host ?? '').toLowerCase().replace(/[^a-z0-9_.:-]/g, '');
  const platform = `generic:${clean || 'unknown'}`;
  return platform.length <= 80 ? platform : `generic:h${stableHash(clean)}`;
}
