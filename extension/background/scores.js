// Scores for the listings a page shows: content scripts ask the worker, which answers from
// a cache (a task's score for a few minutes) and asks the service for the rest, at most
// MAX_SCORE_LISTINGS per request. The cache lives in storage.session so it survives the
// worker being stopped between two pages, and never reaches the disk.

import { callService } from './api.js';
import { ensureInstall, forgetInstall } from './install.js';
import { MAX_SCORE_LISTINGS, listingPayload, scoreRequest } from './payloads.js';

export const SCORE_TTL_MS = 5 * 60_000;
const CACHE_KEY = 'scores';
const CACHE_LIMIT = 4000;

export function cacheKey(listing, threshold, base = '') {
  return JSON.stringify([
    base,
    listing.platform, listing.task_id, listing.reward.amount, listing.reward.currency,
    listing.advertised_duration_s ?? null, listing.time_allotted_s ?? null,
    threshold ? `${threshold.amount} ${threshold.currency}` : null,
  ]);
}

function pruned(cache, now) {
  const live = Object.entries(cache).filter(([, cached]) => now - cached.at < SCORE_TTL_MS);
  live.sort((a, b) => b[1].at - a[1].at);
  return Object.fromEntries(live.slice(0, CACHE_LIMIT));
}

/**
 * [Score | null] in the order of `listings`, plus `error` (the service's answer) when
 * some could not be scored. deps: {store, cacheStore, base, version, fetchImpl, now}.
 */
export async function scoreListings(deps, listings, threshold) {
  const { store, cacheStore, base, version, fetchImpl, now } = deps;
  const started = now();
  const cache = await cacheStore.get(CACHE_KEY, {});
  const keys = listings.map((listing) => cacheKey(listing, threshold, base));
  const found = new Map();
  const missing = new Map();
  keys.forEach((key, index) => {
    const cached = cache[key];
    if (cached && started - cached.at < SCORE_TTL_MS) found.set(key, cached.score);
    else if (!missing.has(key)) missing.set(key, listingPayload(listings[index]));
  });
  let error = null;
  const fresh = {};
  const toAsk = [...missing.entries()];
  for (let start = 0; start < toAsk.length && !error; start += MAX_SCORE_LISTINGS) {
    const chunk = toAsk.slice(start, start + MAX_SCORE_LISTINGS);
    const answer = await askService(deps, chunk.map(([, listing]) => listing), threshold);
    if (answer.status !== 200 || !Array.isArray(answer.body?.scores) || answer.body.scores.length !== chunk.length) {
      error = { status: answer.status, code: answer.error?.code ?? 'bad_answer', message: answer.error?.message ?? '' };
      break;
    }
    chunk.forEach(([key], index) => {
      found.set(key, answer.body.scores[index]);
      fresh[key] = { score: answer.body.scores[index], at: now() };
    });
  }
  if (Object.keys(fresh).length) {
    await cacheStore.update(CACHE_KEY, (current) => pruned({ ...(current || {}), ...fresh }, now()), {});
  }
  return { scores: keys.map((key) => found.get(key) ?? null), error };

  async function askService(context, chunk, limit) {
    const install = await ensureInstall({ store, base, version, fetchImpl, now });
    if (install.error) return install.error;
    let answer = await callService(base, '/v1/score', { token: install.token, body: scoreRequest(chunk, limit), fetchImpl: context.fetchImpl });
    if (answer.status === 401) {
      await forgetInstall(store, install.token);
      const again = await ensureInstall({ store, base, version, fetchImpl, now });
      if (again.error) return again.error;
      answer = await callService(base, '/v1/score', { token: again.token, body: scoreRequest(chunk, limit), fetchImpl: context.fetchImpl });
    }
    return answer;
  }
}
