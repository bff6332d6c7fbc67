// Money as the wire carries it: a decimal string and an ISO 4217 code. Arithmetic runs on
// BigInt ten-thousandths so a threshold comparison never suffers float rounding; floats
// appear only when a figure is formatted for display.

const SCALE = 10_000n;
const AMOUNT = /^(0|[1-9][0-9]{0,7})(\.[0-9]{1,4})?$/;

/** "1.5" -> 15000n; throws on anything the v1 contract would refuse. */
export function toUnits(amount) {
  const text = String(amount).trim();
  if (!AMOUNT.test(text)) throw new RangeError(`not a money amount: ${JSON.stringify(amount)}`);
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(4, '0'));
}

/** 15000n -> "1.50" (two decimals at least, four at most, as the contract allows). */
export function fromUnits(units) {
  const whole = units / SCALE;
  let fraction = (units % SCALE).toString().padStart(4, '0').replace(/0{1,2}$/, '');
  if (fraction.endsWith('0') && fraction.length > 2) fraction = fraction.slice(0, -1);
  return `${whole}.${fraction}`;
}

/** The worker typed "9,40" or "9.4": the contract's "9.40", or null when it is not an amount. */
export function normalizeAmount(text) {
  const cleaned = String(text ?? '').trim().replace(',', '.');
  if (!/^\d{1,8}(\.\d{1,4})?$/.test(cleaned)) return null;
  return fromUnits(toUnits(cleaned.replace(/^0+(?=\d)/, '')));
}

export function compareAmounts(a, b) {
  const left = toUnits(a);
  const right = toUnits(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** amount x ratio, for ratios such as 1.2 given as a string or number with <= 4 decimals. */
export function scaleAmount(amount, ratio) {
  return fromUnits((toUnits(amount) * toUnits(String(ratio))) / SCALE);
}

// Building an Intl.NumberFormat costs far more than using one: a page of 100 badges formats
// hundreds of amounts in a handful of currencies.
const formats = new Map();

function currencyFormat(language, currency, minimumFractionDigits) {
  const key = `${language}|${currency}|${minimumFractionDigits}`;
  if (!formats.has(key)) {
    let format;
    try {
      format = new Intl.NumberFormat(language, { style: 'currency', currency, minimumFractionDigits, maximumFractionDigits: 2 });
    } catch {
      format = null; // an ISO code Intl does not know (e.g. a fund code)
    }
    formats.set(key, format);
  }
  return formats.get(key);
}

/** Display only: "7,20 £" in French, "£7.20" in English. */
export function formatMoney(money, language, { compact = false } = {}) {
  const value = Number(money.amount);
  const format = currencyFormat(language, money.currency, compact && Number.isInteger(value) ? 0 : 2);
  return format ? format.format(value) : `${value.toFixed(2)} ${money.currency}`;
}
