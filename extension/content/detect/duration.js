// Durations as listing pages print them, in English and French: "5 min", "1 h 30", "1h30",
// "~10 minutes", "45 sec", "environ 10 minutes", "5-10 min", "1 hour 1 minute", "1:30".

const UNITS = [
  [/^(?:semaines?|weeks?|wks?)$/i, 604800],
  [/^(?:jours?|days?|j)$/i, 86400],
  [/^(?:heures?|hours?|hrs?|h)$/i, 3600],
  [/^(?:minutes?|mins?|mn|m)$/i, 60],
  [/^(?:secondes?|seconds?|secs?|s)$/i, 1],
];
const TOKEN = /(?<![\p{L}\p{N}.,:])(\d+(?:[.,]\d+)?)\s*(semaines?|weeks?|wks?|jours?|days?|heures?|hours?|hrs?|minutes?|mins?|mn|secondes?|seconds?|secs?|h|j|s|m)(?![\p{L}])(?!(?<![hH])\p{N})/giu;
// "1:30", "0:45", "1:30:00"; a trailing "h" or "min" says which unit leads.
const COLON = /(?<![\p{N}:.,/])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\p{N}:])(?:\s*(h\b|heures?\b|hours?\b|min\b|mins\b|minutes?\b))?/giu;
const COMPOUND_GAP = /^\s*(?:,|and|et|&|\+)?\s*$/i;
const RANGE_GAP = /^\s*(?:-|–|—|à|a|to|ou|or)\s*$/i;
const RANGE_LOW = /(\d+(?:[.,]\d+)?)\s*(?:-|–|—|à|a|to|ou|or)\s*$/i;
const APPROX_BEFORE = /(?:~|≈|±|\babout|\bapprox(?:\.|imately)?|\baround|\benviron|\benv\.|\bca\.|\bcirca|\bpresque|\bpr[èe]s de)\s*$/i;
// The minutes of "1h30", "1 h 30", "1h30m", "1 h 30 min".
const BARE_MINUTES = /^\s*(\d{1,2})(?:\s*(?:minutes?|mins?|mn|m)\b)?(?![\p{N}.,:]|\s*[\p{L}€$£%])/u;
const CLOCK_AFTER = /^\s*(?:am|pm|a\.m|p\.m)\b/i;

const unitSeconds = (unit) => UNITS.find(([pattern]) => pattern.test(unit))[1];
const number = (text) => Number(text.replace(',', '.'));

function tokens(text) {
  const found = [];
  for (const match of text.matchAll(TOKEN)) {
    found.push({ index: match.index, end: match.index + match[0].length, value: number(match[1]), unit: unitSeconds(match[2]), bareM: /^m$/i.test(match[2]) });
  }
  return found;
}

/**
 * Every duration in `text`, in order: {index, end, seconds, approx, parenthesized, long}.
 * Compounds add up ("1 h 30", "2 days 11 hours"); ranges take their upper bound ("5-10 min"),
 * so an estimate is never made shorter than the page says. `long` marks durations counted in
 * days or weeks, which on listing pages are limits or expiries rather than the work itself.
 */
export function findDurations(text) {
  const groups = [];
  let group = null;
  for (const token of tokens(text)) {
    if (group && token.index < group.end) continue;
    // A bare "m" is minutes only right after hours ("1h30m"); alone it is more likely metres.
    const gap = group ? text.slice(group.end, token.index) : null;
    const smaller = group && token.unit < group.lastUnit;
    if (group && smaller && COMPOUND_GAP.test(gap) && !group.bareMinutes) {
      group.seconds += token.value * token.unit;
      Object.assign(group, { end: token.end, lastUnit: token.unit });
      continue;
    }
    if (token.bareM) continue;
    if (group && token.unit === group.lastUnit && RANGE_GAP.test(gap)) {
      group.seconds = Math.max(group.seconds, token.value * token.unit);
      group.end = token.end;
      continue;
    }
    group = { index: token.index, end: token.end, seconds: token.value * token.unit, lastUnit: token.unit, long: token.unit >= 86400, bareMinutes: false };
    const low = RANGE_LOW.exec(text.slice(0, token.index));
    if (low) group.index = low.index;
    groups.push(group);
    if (token.unit === 3600) {
      const bare = BARE_MINUTES.exec(text.slice(token.end));
      if (bare && Number(bare[1]) < 60) {
        group.seconds += Number(bare[1]) * 60;
        group.end = token.end + bare[0].length;
        group.bareMinutes = true;
      }
    }
  }
  for (const found of groups) {
    found.long = found.long || found.seconds >= 86400;
  }
  return finish(text, [...groups, ...colonDurations(text, groups)]);
}

function colonDurations(text, taken) {
  const found = [];
  for (const match of text.matchAll(COLON)) {
    const index = match.index;
    const end = index + match[0].length;
    if (taken.some((group) => index < group.end && end > group.index)) continue;
    if (CLOCK_AFTER.test(text.slice(end))) continue;
    // "10:30" inside a sentence or beside a date is a clock time; only a figure that stands
    // alone (or after a label) is read as a duration.
    const rest = text.slice(0, index) + text.slice(end);
    if (/\d/.test(rest) || text.trim().length > 40) continue;
    const [a, b, c] = [Number(match[1]), Number(match[2]), match[3] === undefined ? null : Number(match[3])];
    const unit = (match[4] ?? '').toLowerCase();
    const seconds = c !== null ? a * 3600 + b * 60 + c : unit.startsWith('h') ? a * 3600 + b * 60 : a * 60 + b;
    found.push({ index, end, seconds, long: false });
  }
  return found;
}

function finish(text, groups) {
  return groups
    .sort((x, y) => x.index - y.index)
    .map((found) => ({
      index: found.index,
      end: found.end,
      seconds: Math.round(found.seconds),
      approx: APPROX_BEFORE.test(text.slice(Math.max(0, found.index - 14), found.index)),
      parenthesized: /\(\s*~?\s*$/.test(text.slice(0, found.index)) && /^\s*\)/.test(text.slice(found.end)),
      long: found.long,
    }))
    .filter((found) => found.seconds > 0);
}

/** Seconds of the first duration in `text`, or null. */
export function parseDuration(text) {
  const [first] = findDurations(String(text ?? ''));
  return first ? first.seconds : null;
}

/**
 * The duration a title advertises, as requesters write it: "Survey (~10 minutes)",
 * "Quick task, about 5 min". A bare figure ("Video length: 8 minutes") is not an estimate.
 */
export function advertisedInTitle(title) {
  const found = findDurations(String(title ?? '')).find((duration) => (duration.approx || duration.parenthesized) && !duration.long);
  return found ? found.seconds : null;
}
