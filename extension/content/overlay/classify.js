// Where a task's hourly median stands against the worker's threshold: 'below', 'near',
// 'above', or 'unknown' when nothing is measured yet. The service decides (its
// `below_threshold` warning, with `level` below or near, uses its own near ratio and
// currency rates: one source of truth); the threshold is compared here only when the
// service could not (no rate for the currency) and the currencies match.

import { compareAmounts } from '../../shared/money.js';

export const BANDS = ['below', 'near', 'above', 'unknown'];

export function band(score, threshold) {
  if (!score?.hourly) return 'unknown';
  const warning = (score.warnings || []).find((item) => item.code === 'below_threshold');
  if (warning) return warning.params?.level === 'near' ? 'near' : 'below';
  if (threshold && threshold.currency === score.hourly.currency && compareAmounts(score.hourly.median, threshold.amount) < 0) return 'below';
  return 'above';
}

/** Sort key (ordering only, never sent): the hourly median, unknown last (-1). */
export function hourlyRank(score) {
  if (!score?.hourly) return -1;
  return Number(score.hourly.median);
}
