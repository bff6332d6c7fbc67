// Finding the listings of a page from the figures on it: a listing is one of several sibling
// elements that each carry a price and a duration. A price alone (a shop), a duration alone,
// or a single block with both (an article that mentions a paid survey) is not a list.

const tally = () => ({ prices: 0, durations: 0 });

/**
 * Groups `hits` (from the one pass over the page's text) into listing blocks, in document
 * order: [{element, hits}]. `root` bounds the climb (document.body).
 */
export function groupIntoBlocks(hits, root) {
  const counts = new Map();
  for (const hit of hits) {
    if (hit.kind !== 'price' && hit.kind !== 'duration') continue;
    const key = hit.kind === 'price' ? 'prices' : 'durations';
    for (let element = hit.element; element && element !== root; element = element.parentElement) {
      let count = counts.get(element);
      if (!count) counts.set(element, (count = tally()));
      count[key] += 1;
    }
  }

  const childrenByParent = new Map();
  for (const [element, count] of counts) {
    if (!count.prices || !count.durations || !element.parentElement) continue;
    const siblings = childrenByParent.get(element.parentElement) ?? [];
    siblings.push(element);
    childrenByParent.set(element.parentElement, siblings);
  }

  const candidates = new Set();
  for (const siblings of childrenByParent.values()) {
    if (siblings.length < 2) continue;
    // Listings repeat one shape; a heading that sums the list up is not one of them.
    const byTag = new Map();
    for (const element of siblings) byTag.set(element.tagName, (byTag.get(element.tagName) ?? 0) + 1);
    const [tag, howMany] = [...byTag].sort((a, b) => b[1] - a[1])[0];
    if (howMany < 2) continue;
    for (const element of siblings) if (element.tagName === tag) candidates.add(element);
  }
  // The innermost repeated level is the listing; the levels around it are sections of the page.
  for (const element of [...candidates]) {
    for (let above = element.parentElement; above && above !== root; above = above.parentElement) candidates.delete(above);
  }

  const blocks = new Map();
  const owner = new Map();
  for (const hit of hits) {
    let block = null;
    const path = [];
    for (let element = hit.element; element && element !== root; element = element.parentElement) {
      if (owner.has(element)) {
        block = owner.get(element);
        break;
      }
      path.push(element);
      if (candidates.has(element)) {
        block = element;
        break;
      }
    }
    for (const element of path) owner.set(element, block);
    if (!block) continue;
    if (!blocks.has(block)) blocks.set(block, { element: block, hits: [] });
    blocks.get(block).hits.push(hit);
  }
  return [...blocks.values()];
}
