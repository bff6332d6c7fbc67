// Where a task's hourly median stands against the worker's threshold: 'below', 'near'
// (under threshold x near ratio), 'above', or 'unknown' when nothing is measured yet.

import { compareAmounts, scaleAmount } from '../../shared/money.js';

export const BANDS = ['below', 'near', 'above', 'unknown'];

export function band(score, threshold, nearRatio = '1.2') {
  if (!score?.hourly) return 'unknown';
  const { median, currency } = score.hourly;
  if (threshold && threshold.currency === currency) {
    if (compareAmounts(median, threshold.amount) < 0) return 'below';
    if (compareAmounts(median, scaleAmount(threshold.amount, nearRatio)) < 0) return 'near';
    return 'above';
  }
  // Another currency: the service converted the threshold and said where the task stands.
  const warning = (score.warnings || []).find((item) => item.code === 'below_threshold');
  if (warning) return warning.params?.level === 'near' ? 'near' : 'below';
  return 'above';
}

/** Sort key (ordering only, never sent): the hourly median, unknown last (-1). */
export function hourlyRank(score) {
  if (!score?.hourly) return -1;
  return Number(score.hourly.median);
}
