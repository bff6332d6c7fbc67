// The worker's display choices applied to the page's own listing blocks: dim or hide
// tasks below the threshold, sort by hourly. Inline styles we change are remembered so
// turning a choice off puts the page back as it was.

const BLOCK_SELECTOR = 'tr, li, article, [role="row"], [role="listitem"], [role="article"]';
const saved = new WeakMap();

function lowestCommonAncestor(nodes) {
  if (!nodes.length) return null;
  const chain = [];
  for (let node = nodes[0]; node; node = node.parentElement) chain.push(node);
  let common = 0;
  for (const node of nodes.slice(1)) {
    while (common < chain.length && !chain[common].contains(node)) common += 1;
  }
  return chain[common] ?? null;
}

/**
 * The block element of each anchor: the child of the listings' common container that holds
 * it, or, when that would put two listings in one block, its closest row-like ancestor.
 */
export function listingBlocks(anchors) {
  const blocks = new Map();
  const container = anchors.length > 1 ? lowestCommonAncestor(anchors) : null;
  for (const anchor of anchors) {
    let block = null;
    if (container && container !== anchor) {
      block = anchor;
      while (block.parentElement && block.parentElement !== container) block = block.parentElement;
    }
    blocks.set(anchor, block ?? anchor.closest(BLOCK_SELECTOR) ?? anchor);
  }
  const owners = new Map();
  for (const [anchor, block] of blocks) owners.set(block, (owners.get(block) ?? 0) + 1);
  for (const [anchor, block] of blocks) {
    if (owners.get(block) > 1) blocks.set(anchor, anchor.closest(BLOCK_SELECTOR) ?? anchor);
  }
  return blocks;
}

function setStyle(block, property, value) {
  if (!saved.has(block)) saved.set(block, new Map());
  const original = saved.get(block);
  if (!original.has(property)) original.set(property, [block.style.getPropertyValue(property), block.style.getPropertyPriority(property)]);
  block.style.setProperty(property, value, 'important');
}

function restoreStyle(block, property) {
  const original = saved.get(block)?.get(property);
  if (!original) return;
  const [value, priority] = original;
  if (value) block.style.setProperty(property, value, priority);
  else block.style.removeProperty(property);
  saved.get(block).delete(property);
}

/** Dims or hides below-threshold blocks; `choice` is 'show', 'dim' or 'hide'. */
export function applyBelowThreshold(placed, choice) {
  for (const { block, bandName } of placed) {
    const below = bandName === 'below';
    if (below && choice === 'dim') setStyle(block, 'opacity', '0.45');
    else restoreStyle(block, 'opacity');
    if (below && choice === 'hide') setStyle(block, 'display', 'none');
    else restoreStyle(block, 'display');
  }
}

/**
 * Orders sibling blocks by hourly, best first, unknown last, keeping the page's order among
 * equals, within the slots the blocks already occupy (headers and other rows stay put).
 * DOM order, not CSS `order`: reading the container's display would force a style pass.
 */
export function sortByHourly(placed, document) {
  const groups = new Map();
  for (const entry of placed) {
    const parent = entry.block.parentElement;
    if (!parent) continue;
    if (!groups.has(parent)) groups.set(parent, []);
    groups.get(parent).push(entry);
  }
  for (const entries of groups.values()) {
    if (entries.length < 2) continue;
    const inPage = [...entries].sort((a, b) => (a.block.compareDocumentPosition(b.block) & 4 ? -1 : 1));
    const sorted = [...inPage].sort((a, b) => b.rank - a.rank);
    if (sorted.every((entry, index) => entry === inPage[index])) continue;
    const slots = inPage.map((entry) => {
      const marker = document.createComment('');
      entry.block.before(marker);
      return marker;
    });
    sorted.forEach((entry, index) => slots[index].replaceWith(entry.block));
  }
}
