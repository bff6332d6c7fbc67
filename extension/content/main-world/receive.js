// The isolated content script's half of the MAIN-world relay (capture.js): accepts only
// well-formed FairClick envelopes from this very window, for URLs an adapter asked for, and
// keeps the latest few bodies as context.captured. The page can post the same envelope, so
// what arrives is untrusted data like the rest of the page: adapters validate every field.

import { ADAPTERS } from '../adapters/registry.js';

export const CAPTURE_TYPE = 'fairclick:capture';
export const REPLAY_TYPE = 'fairclick:replay';
export const CAPTURE_VERSION = 1;
const MAX_URL = 2048;

export const CAPTURE_PATTERNS = Object.freeze(ADAPTERS.flatMap((adapter) => adapter.captures ?? []));

/** {seq, url, status, body} from a message event if it is a valid capture envelope, else null. */
export function readCapture(event, window, patterns = CAPTURE_PATTERNS) {
  if (!event || event.source !== window) return null;
  const origin = window.location.origin;
  if (origin && origin !== 'null' && event.origin !== origin) return null;
  const data = event.data;
  if (!data || typeof data !== 'object' || data.type !== CAPTURE_TYPE || data.version !== CAPTURE_VERSION) return null;
  const { seq, url, status, body } = data;
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  if (typeof url !== 'string' || url.length > MAX_URL || !patterns.some((pattern) => pattern.test(url))) return null;
  if (!Number.isInteger(status) || status < 200 || status > 299) return null;
  if (!body || typeof body !== 'object') return null;
  return Object.freeze({ seq, url, status, body });
}

/**
 * Listens for captures on `window` until `signal` aborts, and asks capture.js to post again what
 * the page received before this listener started; returns the live array (oldest first, at most
 * `limit`) to pass as context.captured. `onCapture` runs for each newly accepted one.
 */
export function collectCaptures(window, { signal, limit = 20, onCapture = () => {}, patterns = CAPTURE_PATTERNS } = {}) {
  const captured = [];
  const seen = new Set();
  window.addEventListener(
    'message',
    (event) => {
      const capture = readCapture(event, window, patterns);
      if (!capture || seen.has(capture.seq)) return;
      seen.add(capture.seq);
      if (seen.size > limit * 10) seen.delete(seen.values().next().value);
      captured.push(capture);
      if (captured.length > limit) captured.splice(0, captured.length - limit);
      onCapture(capture);
    },
    { signal },
  );
  const origin = window.location.origin;
  window.postMessage({ type: REPLAY_TYPE, version: CAPTURE_VERSION }, origin && origin !== 'null' ? origin : '*');
  return captured;
}
