// The default threshold: the legal minimum hourly wage of the worker's country, from the
// service's table (GET /v1/minimum-wages), kept with its source so the options page can
// say where the figure comes from.

// A browser language without a region ("fr") still says where most of its speakers work.
const COUNTRY_OF_LANGUAGE = { fr: 'FR', de: 'DE', es: 'ES', it: 'IT', pt: 'PT', nl: 'NL', pl: 'PL', el: 'GR', ro: 'RO', en: 'GB' };

/** ['fr-FR', 'en'] -> the first country these locales name or imply. */
export function countriesOf(locales) {
  const countries = [];
  for (const locale of locales) {
    const parts = String(locale || '').split(/[-_]/);
    const region = parts.slice(1).find((part) => /^[A-Za-z]{2}$/.test(part));
    if (region) countries.push(region.toUpperCase());
  }
  for (const locale of locales) {
    const language = String(locale || '').split(/[-_]/)[0].toLowerCase();
    if (COUNTRY_OF_LANGUAGE[language]) countries.push(COUNTRY_OF_LANGUAGE[language]);
  }
  return [...new Set(countries)];
}

/** The threshold setting for these locales from the table's rows, or null when none fits. */
export function defaultThreshold(minimumWages, locales) {
  const hourly = (minimumWages || []).filter((row) => row.period === 'hour');
  for (const country of countriesOf(locales)) {
    const row = hourly.find((candidate) => candidate.country === country);
    if (row) {
      return {
        amount: row.amount,
        currency: row.currency,
        origin: 'minimum_wage',
        country: row.country,
        name: row.name,
        source: row.source,
        date: row.date,
        statutory: row.statutory,
      };
    }
  }
  return null;
}
