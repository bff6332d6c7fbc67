// Every site adapter, in one list. An adapter is plain data plus pure readers (see README.md);
// the wrappers here keep one broken adapter from breaking the page or the others.

import prolific from './prolific.js';
import mturk from './mturk.js';

export const ADAPTERS = Object.freeze([prolific, mturk]);

const toUrl = (url) => (url instanceof URL ? url : new URL(String(url)));
const parsed = (url) => {
  try {
    return toUrl(url);
  } catch {
    return null; // about:blank, a malformed string: no adapter serves it
  }
};

function patternToRegExp(pattern) {
  const match = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!match) throw new Error(`not a match pattern: ${pattern}`);
  const [, scheme, host, path] = match;
  const quote = (text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemePart = scheme === '*' ? 'https?' : scheme;
  const hostPart = host === '*' ? '[^/]+' : host.startsWith('*.') ? `(?:[^/]+\\.)?${quote(host.slice(2))}` : quote(host);
  const pathPart = path.split('*').map(quote).join('.*');
  return new RegExp(`^${schemePart}://${hostPart}${pathPart}$`);
}

/** Whether `url` matches a WebExtension match pattern such as "https://app.prolific.com/*". */
export function matchesPattern(pattern, url) {
  const { protocol, hostname, pathname, search } = toUrl(url);
  return patternToRegExp(pattern).test(`${protocol}//${hostname}${pathname}${search}`);
}

/** The adapter serving `url`, or null (then the generic detector may run, if the worker turned it on). */
export function adapterFor(url, adapters = ADAPTERS) {
  const page = parsed(url);
  return page ? adapters.find((adapter) => adapter.matches.some((pattern) => matchesPattern(pattern, page))) ?? null : null;
}

// What a failure may carry: the adapter and the kind of error. An error's message can quote
// page text (a JSON parser shows what it choked on), so it stays in the console.
function report(onError, adapter, stage, error) {
  try {
    onError({ adapter: adapter?.id ?? 'unknown', adapter_version: adapter?.version ?? null, stage, error });
  } catch {
    // a failing reporter must not turn a caught error into an uncaught one
  }
}

const consoleReporter = ({ adapter, stage, error }) => console.warn(`FairClick: adapter ${adapter} failed in ${stage}`, error);

const isElement = (value) => value !== null && typeof value === 'object' && typeof value.nodeType === 'number';

/**
 * adapter.readListings(document, context), never throwing: [] and a report to `onError` when the
 * adapter throws or returns something that is not a list of {listing, anchor}.
 */
export function readListingsSafely(adapter, document, context, onError = consoleReporter) {
  try {
    const found = adapter.readListings(document, context);
    if (!Array.isArray(found)) throw new TypeError('readListings did not return an array');
    return found.filter((entry) => entry && entry.listing && typeof entry.listing.task_id === 'string' && isElement(entry.anchor));
  } catch (error) {
    report(onError, adapter, 'readListings', error);
    return [];
  }
}

/** adapter.readTask(document, url, context), never throwing: null and a report when it throws. */
export function readTaskSafely(adapter, document, url, context, onError = consoleReporter) {
  try {
    return adapter.readTask(document, toUrl(url), context) ?? null;
  } catch (error) {
    report(onError, adapter, 'readTask', error);
    return null;
  }
}

/** Listings from every adapter that matches `url`, each isolated from the others' failures. */
export function readAllListings(document, url, context, { adapters = ADAPTERS, onError = consoleReporter } = {}) {
  const page = parsed(url);
  if (!page) return [];
  return adapters
    .filter((adapter) => adapter.matches.some((pattern) => matchesPattern(pattern, page)))
    .flatMap((adapter) => {
      let listPage = false;
      try {
        listPage = adapter.isListPage(page);
      } catch (error) {
        report(onError, adapter, 'isListPage', error);
      }
      return listPage ? readListingsSafely(adapter, document, context, onError).map((entry) => ({ ...entry, adapter: adapter.id })) : [];
    });
}

const bounded = (value, max) => (Number.isSafeInteger(value) && value >= 0 ? Math.min(value, max) : 0);

/**
 * When `adapter` serves `url` as a list page but read no listing from it, the adapter-health
 * event to send (shared_schema AdapterHealth: ids and counts only, never page content);
 * otherwise null. Call it once the page has settled: a list still loading is not a broken adapter.
 */
export function adapterHealth(adapter, url, listings, document = null) {
  let listPage = false;
  try {
    listPage = adapter.isListPage(toUrl(url));
  } catch {
    listPage = false;
  }
  if (!listPage || (Array.isArray(listings) && listings.length > 0)) return null;
  let blocksSeen = 0;
  try {
    blocksSeen = document && typeof adapter.countBlocks === 'function' ? adapter.countBlocks(document) : 0;
  } catch {
    blocksSeen = 0;
  }
  return { adapter: adapter.id, adapter_version: adapter.version ?? null, blocks_seen: bounded(blocksSeen, 100_000), listings_found: 0 };
}
