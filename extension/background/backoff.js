// When to try a refused or failed batch again. Exponential backoff with "equal jitter"
// (Marc Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): half of
// each delay is fixed, half random, so thousands of extensions that lost the service at
// the same moment do not all come back at the same second, and no delay collapses to 0.

export const BACKOFF = Object.freeze({ baseMs: 30_000, capMs: 6 * 3600_000 });

/** Delay before attempt `attempt + 1`, given `attempt` failures so far (>= 1). */
export function retryDelay(attempt, random = Math.random, { baseMs, capMs } = BACKOFF) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The bounds retryDelay stays within, for the popup ("next try before ...") and tests. */
export function retryBounds(attempt, { baseMs, capMs } = BACKOFF) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return { min: Math.round(ceiling / 2), max: ceiling };
}

/**
 * What an answer means for the records in the batch:
 * 'ok' (stored), 'reauth' (token refused: register again), 'retry' (the service could not
 * take it now), 'park' (it will never take it as it is: keep it aside with its error).
 */
export function classifyStatus(status) {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401) return 'reauth';
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry';
  if (status >= 400) return 'park';
  return 'retry';
}

/** Retry-After as seconds or an HTTP date -> milliseconds from `now`, or 0. */
export function retryAfterMs(header, now) {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : 0;
}
