// A list page: on each batch of DOM changes, read the listings (adapter or generic
// detector), ask the worker for the scores of the new ones in one message, and draw them.

import { createOverlay } from './overlay/overlay.js';

const RETRY_FAILED_MS = 60_000;
// As long as the worker caches a score: a tab left open shows fresh figures after that.
const KNOWN_FOR_MS = 5 * 60_000;
// How long a page may take to show its first listing before the adapter is reported as
// matching the page but finding nothing.
export const HEALTH_AFTER_MS = 15_000;

const scoreKey = (listing) => `${listing.platform}|${listing.task_id}|${listing.reward.amount}|${listing.reward.currency}`;

function usable(entry) {
  const listing = entry?.listing;
  return Boolean(listing && typeof listing.platform === 'string' && typeof listing.task_id === 'string' && listing.task_id
    && listing.reward && typeof listing.reward.amount === 'string' && typeof listing.reward.currency === 'string'
    && entry.anchor?.nodeType === 1 && entry.anchor.isConnected);
}

/**
 * read(document) -> [{listing, anchor}] (may throw: an adapter's failure stays here);
 * health() -> the adapter-health event to send when the page shows no listing, or null.
 * Returns {batch()} for the page's batching loop, and {overlay} for tests.
 */
export function watchListings({ document, read, worker, t, language, settings, signal, now, health }) {
  const overlay = createOverlay({ document, t, language, settings, signal });
  const known = new Map(); // scoreKey -> {score, at}
  const failed = new Map(); // scoreKey -> time of the failed request
  const started = now();
  let inFlight = false;
  let again = false;
  let seenAny = false;
  let reported = false;

  async function batch() {
    if (signal.aborted) return;
    if (inFlight) {
      again = true;
      return;
    }
    let entries;
    try {
      entries = (read(document) || []).filter(usable);
    } catch (error) {
      console.warn('FairClick: reading listings failed', error);
      entries = [];
    }
    if (entries.length) seenAny = true;
    else if (!seenAny && !reported && health && now() - started >= HEALTH_AFTER_MS) {
      reported = true;
      const report = health();
      if (report) worker.send('adapter-health', report).catch(() => {});
    }
    const redraw = [];
    const ask = [];
    for (const entry of entries) {
      const key = scoreKey(entry.listing);
      const hasBadge = overlay.has(entry.anchor);
      const remembered = known.get(key);
      if (remembered && now() - remembered.at < KNOWN_FOR_MS) {
        if (!hasBadge || overlay.scoreOf(entry.anchor) !== remembered.score) redraw.push([entry, remembered.score]);
      } else if (failed.has(key) && now() - failed.get(key) < RETRY_FAILED_MS) {
        if (!hasBadge) redraw.push([entry, null]);
      } else {
        ask.push(entry);
      }
    }
    if (redraw.length) overlay.annotate(redraw.map(([entry]) => entry), redraw.map(([, score]) => score));
    if (!ask.length) {
      if (entries.length) overlay.arrange();
      return;
    }
    inFlight = true;
    try {
      const reply = await worker.send('score', { listings: ask.map((entry) => entry.listing) });
      if (signal.aborted) return;
      const scores = reply?.scores ?? ask.map(() => null);
      ask.forEach((entry, index) => {
        const key = scoreKey(entry.listing);
        if (scores[index]) {
          known.set(key, { score: scores[index], at: now() });
          failed.delete(key);
        } else {
          failed.set(key, now());
        }
      });
      overlay.annotate(ask, ask.map((entry, index) => scores[index] ?? null));
    } catch (error) {
      console.warn('FairClick: scoring failed', error);
    } finally {
      inFlight = false;
    }
    if (again) {
      again = false;
      await batch();
    }
  }

  signal.addEventListener('abort', () => overlay.clear(), { once: true });
  return { batch, overlay };
}
