// Translation with the worker's own language choice. chrome.i18n cannot switch language
// at run time, so the extension reads _locales/<lang>/messages.json itself and applies the
// same message format: `$NAME$` placeholders, declared under "placeholders".

export const LANGUAGES = ['en', 'fr'];

/** 'auto' follows the browser; anything else must be one of LANGUAGES. */
export function pickLanguage(choice, browserLanguage) {
  if (LANGUAGES.includes(choice)) return choice;
  const base = String(browserLanguage || 'en').toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(base) ? base : 'en';
}

/** messages.json text -> { key: { message, placeholders } } with lower-case keys, as Chrome reads it. */
export function parseMessages(catalogue) {
  const messages = {};
  for (const [key, entry] of Object.entries(catalogue)) {
    messages[key.toLowerCase()] = entry;
  }
  return messages;
}

/**
 * The message `key` with `params` ({name: value}) put into its placeholders. A missing
 * key shows the key itself, so a gap is visible in review instead of an empty label.
 */
export function translate(messages, key, params = {}) {
  const entry = messages[key.toLowerCase()];
  if (!entry) return key;
  return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name) => {
    const lower = name.toLowerCase();
    if (!entry.placeholders || !(lower in entry.placeholders)) return whole;
    const value = params[lower] ?? params[name];
    if (value !== undefined && value !== null) return String(value);
    const content = entry.placeholders[lower].content ?? '';
    // A placeholder with fixed content ("FairClick") stands for itself; "$1" needs a value.
    return /\$\d/.test(content) ? '' : content;
  }).replace(/\$\$/g, '$');
}

/** A translator bound to one catalogue: `t(key, params)`. */
export function translator(messages) {
  return (key, params) => translate(messages, key, params);
}

/** Fetches a catalogue from the extension's own files (extension pages and the worker only). */
export async function loadMessages(language, fetchImpl = fetch, getUrl = (path) => chrome.runtime.getURL(path)) {
  const response = await fetchImpl(getUrl(`_locales/${language}/messages.json`));
  return parseMessages(await response.json());
}

/** Fills every [data-i18n] element's text and [data-i18n-<attr>] attribute from the catalogue. */
export function localizePage(root, t) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-title]')) {
    element.title = t(element.dataset.i18nTitle);
  }
  for (const element of root.querySelectorAll('[data-i18n-aria-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nAriaLabel));
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder));
  }
}
