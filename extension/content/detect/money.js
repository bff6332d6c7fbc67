// Amounts as the v1 contract carries them: decimal strings. Everything here works on the
// digits themselves; a float never touches money.

// ISO 4217 minor units that differ from the usual 2 (the platforms we read pay in GBP, USD, EUR).
const EXPONENTS = { BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLP: 0, ISK: 0, JPY: 0, KRW: 0, PYG: 0, UGX: 0, VND: 0, XAF: 0, XOF: 0 };

export function minorUnitExponent(currency) {
  return EXPONENTS[currency] ?? 2;
}

function trimAmount(whole, fraction) {
  const cleanWhole = whole.replace(/^0+(?=\d)/, '') || '0';
  if (cleanWhole.length > 8 || fraction.length > 4) return null;
  return fraction ? `${cleanWhole}.${fraction}` : cleanWhole;
}

/** 150 pence -> "1.50"; null for anything that is not a non-negative safe integer. */
export function minorUnitsToAmount(units, currency) {
  if (typeof units === 'string' && /^\d+$/.test(units)) units = Number(units);
  if (!Number.isSafeInteger(units) || units < 0) return null;
  const exponent = minorUnitExponent(currency);
  if (exponent === 0) return trimAmount(String(units), '');
  const digits = String(units).padStart(exponent + 1, '0');
  return trimAmount(digits.slice(0, -exponent), digits.slice(-exponent));
}

/**
 * A JSON number such as MTurk's `amount_in_dollars: 0.05` -> "0.05". JavaScript prints a number
 * with the shortest digits that read back to it, which for a decimal literal of up to 15
 * significant digits are the literal's own digits: no arithmetic, so no rounding.
 */
export function decimalNumberToAmount(value) {
  if (typeof value === 'string') value = value.trim();
  const text = typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? String(value) : '') : String(value ?? '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return trimAmount(match[1], fraction.length === 1 ? `${fraction}0` : fraction);
}

/**
 * A price as a page prints it ("0,50", "1 234,56", "1,234.56", "1.234,56") -> "0.50", "1234.56".
 * With one kind of separator, a single one followed by exactly three digits groups thousands
 * ("1,234" is 1234) unless the whole part is 0; anything else is the decimal mark.
 */
export function displayedAmount(raw) {
  const text = String(raw).replace(/[\s\u00a0\u202f'’]/g, '');
  if (!/^\d[\d.,]*$/.test(text)) return null;
  const dot = text.lastIndexOf('.');
  const comma = text.lastIndexOf(',');
  let whole;
  let fraction = '';
  if (dot >= 0 && comma >= 0) {
    const mark = Math.max(dot, comma);
    whole = text.slice(0, mark).replace(/[.,]/g, '');
    fraction = text.slice(mark + 1);
  } else if (dot >= 0 || comma >= 0) {
    const parts = text.split(dot >= 0 ? '.' : ',');
    if (parts.length > 2 || (parts[1].length === 3 && !/^0+$/.test(parts[0]))) {
      if (parts.slice(1).some((part) => part.length !== 3)) return null;
      whole = parts.join('');
    } else {
      [whole, fraction] = parts;
    }
  } else {
    whole = text;
  }
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return null;
  return trimAmount(whole, fraction);
}

function parseUnits(text) {
  const [whole, fraction = ''] = String(text).split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

/** units x 10^-scale as an amount: at most four decimals (rounded half up past them), at least two when not whole. */
function formatUnits(units, scale) {
  if (scale > 4) {
    const divisor = 10n ** BigInt(scale - 4);
    units = (units + divisor / 2n) / divisor;
    scale = 4;
  }
  const digits = units.toString().padStart(scale + 1, '0');
  const fraction = scale ? digits.slice(-scale).replace(/0+$/, '') : '';
  return trimAmount(scale ? digits.slice(0, -scale) : digits, fraction.length === 1 ? `${fraction}0` : fraction);
}

/** Moves the decimal point `places` to the left: ("50", 2) -> "0.50" (cents to dollars). */
export function shiftLeft(amount, places) {
  const { units, scale } = parseUnits(amount);
  return formatUnits(units, scale + places);
}

/**
 * `count` points worth `rate` each ("250" x "0.001" -> "0.25"), exactly; past four decimals, the
 * contract's limit, it rounds half up at the fourth.
 */
export function multiplyAmount(count, rate) {
  const a = parseUnits(count);
  const b = parseUnits(rate);
  return formatUnits(a.units * b.units, a.scale + b.scale);
}
