// Reading one listing out of a block the detector found: title, requester, reward, durations,
// and an id that stays the same on the next visit (a link to the task, or a hash of the
// block's lasting text).

import { buildListing, cleanText, stableHash } from './listing.js';
import { ACTION_LINK, REQUESTER_ID_PARAM, REQUESTER_ID_PATH, REQUESTER_LABEL } from './labels.js';

const HEADINGS = 'h1,h2,h3,h4,h5,h6';
const TITLED = '[class*="title"],[class*="Title"],[itemprop="name"]';

function readableTitle(element, requesterElements) {
  if (requesterElements.some((requester) => element.contains(requester) || requester.contains(element))) return null;
  const text = cleanText(element.textContent, 300);
  if (text.length < 3 || !/\p{L}{2}/u.test(text) || text.endsWith(':') || REQUESTER_LABEL.test(text)) return null;
  return text;
}

function findTitle(block, requesterElements, titleHits) {
  for (const element of block.querySelectorAll(HEADINGS)) {
    const text = readableTitle(element, requesterElements);
    if (text) return { element, text };
  }
  for (const hit of titleHits) {
    const text = readableTitle(hit.element, requesterElements);
    if (text) return { element: hit.element, text };
  }
  for (const element of block.querySelectorAll(TITLED)) {
    const text = readableTitle(element, requesterElements);
    if (text) return { element, text };
  }
  for (const link of block.querySelectorAll('a')) {
    const text = readableTitle(link, requesterElements);
    if (text && !ACTION_LINK.test(text)) return { element: link, text };
  }
  return null;
}

function resolve(href, document) {
  if (!href || /^\s*(?:javascript|mailto|tel|data):/i.test(href)) return null;
  try {
    const url = new URL(href, document.baseURI);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    const here = new URL(document.URL);
    if (url.hash && url.origin === here.origin && url.pathname === here.pathname && url.search === here.search) return null;
    return url;
  } catch {
    return null;
  }
}

// The links of a block that may open its task: the title's own link first, then links such as
// "View a HIT in this group"; never the requester's page.
function taskLinks(block, title, requesterElements, document) {
  const titleLink = title ? title.element.closest('a') ?? title.element.querySelector('a') : null;
  const ordered = [];
  if (titleLink && block.contains(titleLink)) ordered.push(titleLink);
  for (const link of block.querySelectorAll('a[href]')) {
    if (link !== titleLink && ACTION_LINK.test(cleanText(link.textContent, 80))) ordered.push(link);
  }
  return ordered
    .filter((link) => !requesterElements.some((requester) => link.contains(requester) || requester.contains(link)))
    .map((link) => resolve(link.getAttribute('href'), document))
    .filter(Boolean);
}

function requesterIdFrom(element, document) {
  const link = element.closest('a[href]');
  const url = link ? resolve(link.getAttribute('href'), document) : null;
  if (!url) return null;
  for (const [name, value] of url.searchParams) if (REQUESTER_ID_PARAM.test(name) && value) return value;
  const inPath = REQUESTER_ID_PATH.exec(url.pathname);
  return inPath ? inPath[1] : null;
}

function describe(block, document) {
  const prices = block.hits.filter((hit) => hit.kind === 'price');
  const durations = block.hits.filter((hit) => hit.kind === 'duration');
  const requester = block.hits.find((hit) => hit.kind === 'requester');
  const requesterElements = block.hits.filter((hit) => hit.kind === 'requester').map((hit) => hit.element);
  const reward = (prices.find((hit) => hit.labelled) ?? prices[0]).money;
  const title = findTitle(block.element, requesterElements, block.hits.filter((hit) => hit.kind === 'title'));
  return {
    block,
    title,
    reward,
    requesterName: requester ? requester.name : null,
    // A site that shows no requester id still names the requester the same way on every visit:
    // the name is then the key that lets the service group that requester's tasks.
    requesterId: requester ? requesterIdFrom(requester.element, document) ?? `name:${cleanText(requester.name, 120).toLowerCase()}` : null,
    advertised: durations.find((hit) => hit.role === 'advertised')?.seconds,
    allotted: durations.find((hit) => hit.role === 'allotted')?.seconds,
    links: taskLinks(block.element, title, requesterElements, document),
  };
}

// Query parameters every listing's links share (a session "state" token, a sort order) say
// nothing about which task a link opens: drop them, and keep a link only if it then names
// one listing alone.
function linkKeys(described, document) {
  const blocksWith = new Map();
  described.forEach((entry, index) => {
    for (const url of entry.links) {
      for (const pair of url.searchParams) {
        const key = pair.join('=');
        if (!blocksWith.has(key)) blocksWith.set(key, new Set());
        blocksWith.get(key).add(index);
      }
    }
  });
  const here = new URL(document.URL);
  const keyOf = (url) => {
    const params = [...url.searchParams].filter((pair) => blocksWith.get(pair.join('=')).size === 1).sort();
    const query = params.length ? `?${new URLSearchParams(params)}` : '';
    return `${url.origin === here.origin ? '' : `//${url.host}`}${url.pathname}${query}`;
  };
  const keys = described.map((entry) => entry.links.map(keyOf));
  const owners = new Map();
  keys.forEach((list, index) => new Set(list).forEach((key) => owners.set(key, (owners.get(key) ?? new Set()).add(index))));
  return keys.map((list) => list.find((key) => owners.get(key).size === 1) ?? null);
}

// Counts, countdowns and dates change between visits; the words and the figures read above do not.
function lastingText(entry) {
  const words = cleanText(entry.block.element.textContent, 4000).replace(/\d+/g, '#');
  return [entry.title?.text, entry.requesterName, entry.reward.amount, entry.reward.currency, entry.advertised, entry.allotted, words].join('|');
}

/** [{listing, anchor, block}] for the blocks found on `document`, under `platform`. */
export function describeBlocks(blocks, document, platform) {
  const described = blocks.map((block) => describe(block, document));
  const keys = linkKeys(described, document);
  return described
    .map((entry, index) => {
      const listing = buildListing({
        platform,
        task_id: keys[index] ?? `h:${stableHash(lastingText(entry))}`,
        requester_id: entry.requesterId,
        requester_name: entry.requesterName,
        title: entry.title?.text,
        reward: entry.reward,
        advertised_duration_s: entry.advertised,
        time_allotted_s: entry.allotted,
      });
      return listing && { listing, anchor: entry.title?.element ?? entry.block.element, block: entry.block.element };
    })
    .filter(Boolean);
}
