import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF, classifyStatus, retryAfterMs, retryBounds, retryDelay } from '../../../extension/background/backoff.js';

test('the retry delay doubles from 30 s up to a 6 h ceiling', () => {
  const ceilings = [1, 2, 3, 4, 5, 10, 11, 30].map((attempt) => retryBounds(attempt).max);
  assert.deepEqual(ceilings, [30_000, 60_000, 120_000, 240_000, 480_000, 15_360_000, 6 * 3600_000, 6 * 3600_000]);
});

test('jitter keeps every delay between half the ceiling and the ceiling', () => {
  for (const attempt of [1, 2, 5, 9, 15]) {
    const { min, max } = retryBounds(attempt);
    assert.equal(retryDelay(attempt, () => 0), min);
    // Math.random() < 1: the draw's supremum gives the ceiling.
    assert.equal(retryDelay(attempt, () => 1), max);
    for (let draw = 0; draw < 200; draw += 1) {
      const delay = retryDelay(attempt);
      assert.ok(delay >= min && delay <= max, `${delay} outside [${min}, ${max}]`);
    }
  }
  // Two installs failing together come back at different times.
  const spread = new Set(Array.from({ length: 50 }, () => retryDelay(3)));
  assert.ok(spread.size > 40);
  assert.equal(BACKOFF.baseMs, 30_000);
});

test('answers are sorted into stored, register again, retry later and park', () => {
  assert.deepEqual(
    [200, 201, 202, 401, 408, 429, 500, 502, 503, 0, 400, 403, 404, 409, 413, 422].map(classifyStatus),
    ['ok', 'ok', 'ok', 'reauth', 'retry', 'retry', 'retry', 'retry', 'retry', 'retry', 'park', 'park', 'park', 'park', 'park', 'park'],
  );
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  assert.equal(retryAfterMs('120', now), 120_000);
  assert.equal(retryAfterMs(new Date(now + 90_000).toUTCString(), now), 90_000);
  assert.equal(retryAfterMs(null, now), 0);
  assert.equal(retryAfterMs('soon', now), 0);
});
