// Prices as listing pages print them, in English and French: "0,50 €", "€0.50", "£1.20",
// "$3", "1.20 USD", "EUR 2", "50 cents", "250 points".

import { displayedAmount, shiftLeft } from './money.js';
import { RATE_AFTER } from './labels.js';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Longest first, so "US$" wins over "$". A bare "$" is read as USD: the platforms we know price
// in US dollars when they print "$"; a site that means another dollar belongs in site data.
const SYMBOLS = [
  ['US$', 'USD'], ['CA$', 'CAD'], ['AU$', 'AUD'], ['NZ$', 'NZD'], ['HK$', 'HKD'], ['MX$', 'MXN'],
  ['C$', 'CAD'], ['A$', 'AUD'], ['R$', 'BRL'], ['€', 'EUR'], ['£', 'GBP'], ['₹', 'INR'], ['$', 'USD'],
];
const CODES = ['EUR', 'USD', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'INR', 'BRL', 'MXN', 'PLN', 'SEK', 'NOK', 'DKK', 'CZK', 'HUF', 'RON', 'ZAR', 'SGD', 'HKD', 'JPY'];
const WORDS = [['euros', 'EUR'], ['euro', 'EUR'], ['dollars', 'USD'], ['dollar', 'USD']];
// Hundredths of a currency: "50 cents" is $0.50, "50 centimes" is €0.50.
const MINOR_WORDS = [['centimes', 'EUR'], ['centime', 'EUR'], ['cents', 'USD'], ['cent', 'USD'], ['¢', 'USD']];
const POINT_WORDS = ['points', 'point', 'pts', 'pt'];

const CURRENCY_OF = new Map([...SYMBOLS, ...CODES.map((code) => [code, code]), ...WORDS].map(([key, code]) => [key.toLowerCase(), code]));
const MINOR_OF = new Map(MINOR_WORDS.map(([key, code]) => [key.toLowerCase(), code]));

// Digits with optional thousands groups (space, no-break space, dot, comma, apostrophe) and decimals.
const NUMBER = String.raw`\d{1,3}(?:[ \u00a0\u202f'’.,]\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?`;
const alternatives = (list) => list.map((entry) => escape(Array.isArray(entry) ? entry[0] : entry)).join('|');
const PREFIX = `${alternatives(SYMBOLS)}|${CODES.join('|')}`;

function buildPattern(pointUnits) {
  const points = [...POINT_WORDS, ...pointUnits].map(escape).join('|');
  const suffix = `${alternatives(SYMBOLS)}|${CODES.join('|')}|${alternatives(WORDS)}|${alternatives(MINOR_WORDS)}|${points}`;
  return new RegExp(
    String.raw`(?<![\p{L}\p{N}])(?<prefix>${PREFIX})\s?(?<prefixed>${NUMBER})(?![\p{N}])` +
      String.raw`|(?<![\p{L}\p{N}.,])(?<number>${NUMBER})\s?(?<suffix>${suffix})(?![\p{L}\p{N}])`,
    'giu',
  );
}

const patterns = new Map([['', buildPattern([])]]);

/**
 * Every price in `text`, in order: {index, end, amount, currency, rate} for money, or
 * {index, end, points, unit} for points (which only site data can turn into money).
 * `rate` is true for "£9.00/hr" and the like. `pointUnits` adds a site's own word for points.
 */
export function findPrices(text, { pointUnits = [] } = {}) {
  const key = pointUnits.join('\u0000');
  if (!patterns.has(key)) patterns.set(key, buildPattern(pointUnits));
  // matchAll works on a copy of the pattern, so the shared one keeps no state between calls.
  const pattern = patterns.get(key);
  const prices = [];
  for (const match of text.matchAll(pattern)) {
    const { prefix, prefixed, number, suffix } = match.groups;
    const index = match.index;
    const end = index + match[0].length;
    const rate = RATE_AFTER.test(text.slice(end, end + 20));
    const digits = displayedAmount(prefixed ?? number);
    if (digits === null) continue;
    const unit = (prefix ?? suffix).toLowerCase();
    if (CURRENCY_OF.has(unit)) {
      prices.push({ index, end, amount: digits, currency: CURRENCY_OF.get(unit), rate });
    } else if (MINOR_OF.has(unit)) {
      const amount = shiftLeft(digits, 2);
      if (amount !== null) prices.push({ index, end, amount, currency: MINOR_OF.get(unit), rate });
    } else {
      prices.push({ index, end, points: digits, unit, rate });
    }
  }
  return prices;
}

/** The first price in `text` that is money and not a rate, as Money, or null. */
export function parsePrice(text) {
  const price = findPrices(String(text ?? '')).find((found) => found.currency && !found.rate);
  return price ? { amount: price.amount, currency: price.currency } : null;
}
