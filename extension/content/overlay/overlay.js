// The overlay on one list page: a badge next to each listing's anchor, kept in step with
// the page's re-renders, and the worker's display choices applied to the listing blocks.

import { applyBelowThreshold, listingBlocks, sortByHourly } from './arrange.js';
import { HOST_TAG, createBadge, renderBadge } from './badge.js';
import { band, hourlyRank } from './classify.js';

/** Where the badge goes: beside links and controls (a badge inside a link would follow it), in a row's last cell, else inside. */
function place(anchor, host) {
  if (anchor.matches('a, button, input, select, textarea, img, label')) anchor.after(host);
  else if (anchor.matches('tr')) (anchor.cells[anchor.cells.length - 1] ?? anchor).append(host);
  else if (anchor.matches('table, tbody, thead, ul, ol, dl')) anchor.before(host);
  else anchor.append(host);
}

export function isOverlayNode(node) {
  return node.nodeType === 8 || (node.nodeType === 1 && node.localName === HOST_TAG);
}

/** options: {document, t, language, settings: {threshold, belowThreshold, sortByHourly}, signal} */
export function createOverlay({ document, t, language, settings, signal }) {
  const placed = new Map(); // anchor -> {host, listing, score, bandName, block?}
  let styled = new Set(); // blocks whose inline style we changed

  function restore(blocks) {
    const untouched = [...blocks].map((block) => ({ block, bandName: 'unknown' }));
    applyBelowThreshold(untouched, 'show');
  }

  function arrange() {
    for (const [anchor, entry] of placed) {
      if (!anchor.isConnected) placed.delete(anchor);
      else if (!entry.host.isConnected) place(anchor, entry.host);
    }
    // An adapter may name each listing's block (its card or row); otherwise it is inferred.
    const blocks = listingBlocks([...placed].filter(([, entry]) => !entry.block).map(([anchor]) => anchor));
    const arranged = [...placed].map(([anchor, entry]) => ({ block: entry.block ?? blocks.get(anchor), bandName: entry.bandName, rank: hourlyRank(entry.score) }));
    const current = new Set(arranged.map(({ block }) => block));
    // More listings can move the blocks' boundaries: undo what no longer applies.
    restore([...styled].filter((block) => !current.has(block)));
    styled = current;
    applyBelowThreshold(arranged, settings.belowThreshold);
    if (settings.sortByHourly) sortByHourly(arranged, document);
  }

  return {
    /** Has this anchor a badge in the page already? */
    has(anchor) {
      return placed.get(anchor)?.host.isConnected === true;
    },
    scoreOf(anchor) {
      return placed.get(anchor)?.score;
    },
    /** Badges for `entries` ([{listing, anchor, block?}]) with `scores` (same order; null = unavailable). */
    annotate(entries, scores) {
      entries.forEach(({ listing, anchor, block }, index) => {
        const ownBlock = block?.nodeType === 1 && block.contains(anchor) ? block : null;
        const score = scores[index] ?? null;
        const bandName = band(score, settings.threshold);
        const view = { listing, score, bandName, t, language };
        const known = placed.get(anchor);
        if (known) {
          if (known.score !== score) renderBadge(known.host, view);
          if (!known.host.isConnected) place(anchor, known.host);
          placed.set(anchor, { ...known, listing, score, bandName, block: ownBlock });
          return;
        }
        const host = createBadge(document, view, { signal });
        place(anchor, host);
        placed.set(anchor, { host, listing, score, bandName, block: ownBlock });
      });
      arrange();
    },
    arrange,
    /** Removes every badge and undoes dimming, hiding and ordering (navigation, settings change). */
    clear() {
      restore(styled);
      styled = new Set();
      for (const { host } of placed.values()) host.remove();
      placed.clear();
    },
    get size() {
      return placed.size;
    },
  };
}
