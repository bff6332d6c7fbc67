// The service's warnings in the worker's words. Each code has a message in _locales with
// named placeholders; parameters are formatted here (money, durations, shares).

import { formatMoney } from '../../shared/money.js';

export function formatDuration(seconds, t) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  if (total < 60) return t('unit_seconds', { count: total });
  const minutes = Math.round(total / 60);
  if (minutes < 60) return t('unit_minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? t('unit_hours_minutes', { hours, minutes: String(rest).padStart(2, '0') }) : t('unit_hours', { count: hours });
}

const formats = new Map();
function numberFormat(language, options) {
  const key = `${language}|${JSON.stringify(options)}`;
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat(language, options));
  return formats.get(key);
}

export function formatShare(rate, language) {
  return numberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(Number(rate) || 0);
}

function formatNumber(value, language) {
  return numberFormat(language, { maximumFractionDigits: 1 }).format(Number(value) || 0);
}

/** {code, severity, params} -> one translated sentence. */
export function describeWarning(warning, t, language) {
  const params = warning.params || {};
  const scope = params.scope ? t(`scope_${params.scope}`) : '';
  switch (warning.code) {
    case 'below_threshold':
      return t(params.level === 'near' ? 'warning_near_threshold' : 'warning_below_threshold', {
        hourly: formatMoney({ amount: String(params.hourly), currency: params.currency }, language),
        threshold: formatMoney({ amount: String(params.threshold), currency: params.currency }, language),
      });
    case 'duration_underestimated':
      return t('warning_duration_underestimated', {
        measured: formatDuration(params.measured_s, t),
        advertised: formatDuration(params.advertised_s, t),
        ratio: formatNumber(params.ratio, language),
      });
    case 'screen_outs':
      return t('warning_screen_outs', { rate: formatShare(params.rate, language), attempts: params.attempts, scope });
    case 'rejections':
      return t('warning_rejections', { rate: formatShare(params.rate, language), reviewed: params.reviewed, scope });
    case 'slow_payment':
      return t('warning_slow_payment', { days: formatNumber(params.days, language), paid: params.paid, scope });
    case 'tight_time_allotted':
      return t('warning_tight_time_allotted', { allotted: formatDuration(params.allotted_s, t), high: formatDuration(params.duration_high_s, t) });
    case 'low_confidence':
      return t('warning_low_confidence', { reports: params.reports ?? 0 });
    case 'new_requester':
      return Number(params.days) < 1 ? t('warning_new_requester_today') : t('warning_new_requester', { days: formatNumber(params.days, language) });
    case 'flagged':
      return t('warning_flagged', { reason: t(`flag_reason_${params.reason}`), count: params.count ?? 1 });
    default:
      return t('warning_unknown', { code: String(warning.code) });
  }
}

// Glyphs every system font has (⛔ is missing from common Linux fonts).
export const SEVERITY_ICONS = { info: 'ℹ', warn: '⚠', danger: '✖' };
