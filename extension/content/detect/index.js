// The generic detector: on a listing page no adapter knows, finds the repeated blocks that
// carry a price and a duration and reads them as v1 listings of platform `generic:<host>`.
// One pass over the text nodes, no layout reads (no innerText, no getBoundingClientRect), so
// it stays cheap on long pages; text is only ever read, never written back.

import { findDurations } from './duration.js';
import { findPrices } from './price.js';
import { multiplyAmount } from './money.js';
import { genericPlatform } from './listing.js';
import { DURATION_IGNORE_AFTER, REQUESTER_INLINE, REQUESTER_LABEL, TITLE_COLUMN, durationRole, looksLikeLabel, priceRole } from './labels.js';
import { columnHeader } from './columns.js';
import { groupIntoBlocks } from './blocks.js';
import { describeBlocks } from './block-fields.js';
import { GENERIC_SITES } from './site-data.js';

// NodeFilter's values, spelled out: the module also runs under node, where NodeFilter is not global.
const SHOW_ELEMENT = 0x1;
const SHOW_TEXT = 0x4;
const FILTER_ACCEPT = 1;
const FILTER_REJECT = 2;
const FILTER_SKIP = 3;
const TEXT_NODE = 3;

// Text a worker does not see as part of a listing: code, form options (a sort menu's "Time
// Allotted (least first)"), navigation and footers, and FairClick's own badges.
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'SELECT', 'OPTION', 'SVG', 'CANVAS', 'IFRAME', 'OBJECT', 'NAV', 'FOOTER', 'HEAD']);
// Longer text is prose (a description, an article), where figures describe rather than list.
const MAX_FIGURE_TEXT = 160;
const LOOKBACK = 40;

function acceptNode(node) {
  if (node.nodeType === TEXT_NODE) return FILTER_ACCEPT;
  const tag = node.tagName.toUpperCase();
  if (SKIPPED.has(tag) || tag.startsWith('FAIRCLICK') || node.hidden || node.getAttribute('aria-hidden') === 'true' || node.hasAttribute('data-fairclick')) {
    return FILTER_REJECT;
  }
  return FILTER_SKIP;
}

// The label that governs a figure: the words just before it in its own text, else the
// previous text if that reads like a label ("Time Allotted:" in the cell before "30 minutes"),
// else its table column's header.
function roleOf(classify, before, { label, header }) {
  return classify(before) ?? classify(label) ?? classify(header);
}

function readFigures(text, element, labels, site, hits) {
  const pointUnits = site?.points?.units ?? [];
  const figures = [
    ...findPrices(text, { pointUnits }).map((price) => ({ ...price, kind: 'price' })),
    ...findDurations(text).map((duration) => ({ ...duration, kind: 'duration' })),
  ].sort((a, b) => a.index - b.index);
  let previousEnd = 0;
  for (const figure of figures) {
    const before = text.slice(Math.max(previousEnd, figure.index - LOOKBACK), figure.index);
    previousEnd = Math.max(previousEnd, figure.end);
    if (figure.kind === 'price') {
      const role = figure.rate ? 'rate' : roleOf(priceRole, before, labels);
      if (role === 'rate' || role === 'bonus') continue;
      let money = null;
      if (figure.currency) money = { amount: figure.amount, currency: figure.currency };
      else if (site?.points) {
        const amount = multiplyAmount(figure.points, site.points.value.amount);
        if (amount !== null) money = { amount, currency: site.points.value.currency };
      }
      if (money) hits.push({ kind: 'price', element, money, labelled: role === 'reward' });
    } else {
      if (DURATION_IGNORE_AFTER.test(text.slice(figure.end, figure.end + 16))) continue;
      let role = roleOf(durationRole, before, labels) ?? (figure.approx ? 'advertised' : null);
      // "2 days" with no label is a delivery time or an expiry far more often than a task's length.
      if (role === null && figure.long) role = 'ignore';
      if (role === 'ignore') continue;
      hits.push({ kind: 'duration', element, seconds: figure.seconds, role: role ?? 'advertised' });
    }
  }
}

function collectHits(document, root, site) {
  const walker = document.createTreeWalker(root, SHOW_ELEMENT | SHOW_TEXT, { acceptNode });
  const hits = [];
  let label = '';
  let requesterNext = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType !== TEXT_NODE) continue;
    const text = node.data.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const element = node.parentElement;
    if (requesterNext) {
      requesterNext = false;
      if (/\p{L}/u.test(text) && text.length <= 200 && !REQUESTER_LABEL.test(text)) {
        hits.push({ kind: 'requester', element, name: text });
        label = '';
        continue;
      }
    }
    if (text.length <= MAX_FIGURE_TEXT) {
      const header = element.closest('td') ? columnHeader(element) : '';
      const inline = REQUESTER_INLINE.exec(text);
      if (inline) hits.push({ kind: 'requester', element, name: inline[1] });
      else if (REQUESTER_LABEL.test(text)) requesterNext = true;
      else if (header && REQUESTER_LABEL.test(header) && /\p{L}/u.test(text)) hits.push({ kind: 'requester', element, name: text });
      else if (header && TITLE_COLUMN.test(header) && /\p{L}{2}/u.test(text)) hits.push({ kind: 'title', element, text });
      if (/\d/.test(text)) readFigures(text, element, { label, header }, site, hits);
    }
    label = looksLikeLabel(text) ? text : '';
  }
  return hits;
}

/**
 * [{listing, anchor, block}] for the listings on `document`: `anchor` is where a badge goes
 * (the title when there is one), `block` the whole listing (to dim, hide or sort it).
 * `sites` defaults to the bundled site data (points rates per host).
 */
export function detectListings(document, { host, sites = GENERIC_SITES } = {}) {
  const root = document.body;
  if (!root) return [];
  const name = String(host ?? new URL(document.URL).host).toLowerCase();
  const hits = collectHits(document, root, sites[name] ?? null);
  return describeBlocks(groupIntoBlocks(hits, root), document, genericPlatform(name));
}
