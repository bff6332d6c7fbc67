// The worker's options, one object in chrome.storage.local under "settings". Defaults
// live here only; readers merge them so a setting added later needs no migration.

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8080';

export const DEFAULT_SETTINGS = Object.freeze({
  serviceUrl: DEFAULT_SERVICE_URL,
  // {amount, currency, origin: 'minimum_wage' | 'worker', country?, source?, date?}; null until
  // the minimum-wage table has been read (the service then applies its own default).
  threshold: null,
  language: 'auto',
  // Platform id -> false when the worker turned it off; absent means on.
  platforms: {},
  // What to do with tasks below the threshold: 'show', 'dim' or 'hide'.
  belowThreshold: 'show',
  sortByHourly: false,
  // The clock stops this long after the last keystroke, click, scroll or pointer move.
  idleSeconds: 60,
  // An ended timing waits this long in the popup, where it can be corrected or discarded.
  reviewMinutes: 5,
  // Origins (https://example.org) where the worker turned the generic detector on.
  genericSites: [],
});

export const BELOW_THRESHOLD_CHOICES = ['show', 'dim', 'hide'];

export function withDefaults(stored) {
  return { ...DEFAULT_SETTINGS, ...(stored || {}) };
}

/** Checks a patch from the options page; returns an error message key or null. */
export function validateSettingsPatch(patch) {
  if ('serviceUrl' in patch) {
    let url;
    try { url = new URL(patch.serviceUrl); } catch { return 'error_service_url'; }
    if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) return 'error_service_url';
  }
  if ('idleSeconds' in patch && !(Number.isInteger(patch.idleSeconds) && patch.idleSeconds >= 10 && patch.idleSeconds <= 3600)) {
    return 'error_idle_seconds';
  }
  if ('reviewMinutes' in patch && !(Number.isInteger(patch.reviewMinutes) && patch.reviewMinutes >= 0 && patch.reviewMinutes <= 1440)) {
    return 'error_review_minutes';
  }
  if ('belowThreshold' in patch && !BELOW_THRESHOLD_CHOICES.includes(patch.belowThreshold)) return 'error_below_threshold';
  if ('language' in patch && !['auto', 'en', 'fr'].includes(patch.language)) return 'error_language';
  if ('threshold' in patch && patch.threshold !== null) {
    const { amount, currency } = patch.threshold;
    if (typeof amount !== 'string' || !/^(0|[1-9][0-9]{0,7})(\.[0-9]{1,4})?$/.test(amount)) return 'error_threshold_amount';
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return 'error_threshold_currency';
  }
  return null;
}

/** The service URL without a trailing slash, so paths join cleanly. */
export function serviceBase(settings) {
  return settings.serviceUrl.replace(/\/+$/, '');
}

/** The match pattern a host permission for the service needs (ports are not part of patterns). */
export function originPattern(url) {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}
