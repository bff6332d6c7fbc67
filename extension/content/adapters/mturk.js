// Amazon Mechanical Turk's worker site (worker.mturk.com), closed on 2026-09-30: kept because
// its formats are well documented and exercise the framework. The HIT list renders from the
// `data-react-props` of its HitSetTable component (the same objects `?format=json` returns);
// an accepted HIT's page carries the task's props and its countdown. Formats and sources:
// tests/fixtures/sites/mturk/README.md.

import { buildListing, cleanText } from '../detect/listing.js';
import { decimalNumberToAmount } from '../detect/money.js';
import { advertisedInTitle } from '../detect/duration.js';
import { capturedBodies, reactProps } from './captured.js';

export const SITE = Object.freeze({
  host: 'worker.mturk.com',
  listPath: /^\/(?:projects\/?|requesters\/[A-Z0-9]+\/projects\/?)?$/,
  taskPath: /^\/projects\/([A-Z0-9]{20,40})\/tasks\/([A-Z0-9]{20,40})\/?$/,
  captures: [/^https:\/\/worker\.mturk\.com\/[^#]*[?&]format=json(?:[&#]|$)/],
  components: {
    hitSetTable: 'reactComponents/hitSetTable/HitSetTable',
    modal: 'reactComponents/common/ShowModal',
    timer: 'reactComponents/common/CompletionTimer',
  },
  selectors: { row: '.hit-set-table-row', projectLink: 'a[href*="/projects/"]' },
  projectInHref: /\/projects\/([A-Z0-9]{20,40})\/tasks/,
  buttonText: /^\s*(?:preview|accept(?:\s*&\s*work)?|work)\s*$/i,
  // The requester of an accepted HIT is only in the "contact requester" link's query.
  contactRequesterParams: ['hit_type_message[requester_id]', 'requester_id', 'requesterId'],
});

function rewardOf(monetary) {
  if (!monetary || typeof monetary !== 'object') return null;
  const amount = decimalNumberToAmount(monetary.amount_in_dollars ?? monetary.amountInDollars);
  const currency = String(monetary.currency_code ?? monetary.currencyCode ?? 'USD').toUpperCase();
  return amount === null ? null : { amount, currency };
}

// assignment_duration_in_seconds is the limit the requester set: time_allotted_s, never an
// advertised duration. The only advertised duration MTurk has is the one a requester writes
// in the title ("Survey (~10 minutes)").
function listingFromHit(hit) {
  const title = typeof hit.title === 'string' ? hit.title : null;
  return buildListing({
    platform: 'mturk',
    task_id: hit.hit_set_id,
    requester_id: hit.requester_id,
    requester_name: hit.requester_name,
    title,
    reward: rewardOf(hit.monetary_reward),
    time_allotted_s: hit.assignment_duration_in_seconds,
    advertised_duration_s: advertisedInTitle(title),
  });
}

const isHit = (value) => value && typeof value === 'object' && typeof value.hit_set_id === 'string';

function hitsOnPage(document, context) {
  const table = reactProps(document, SITE.components.hitSetTable);
  const listed = Array.isArray(table?.props.bodyData) ? table.props.bodyData.filter(isHit) : [];
  const byId = new Map(listed.map((hit) => [hit.hit_set_id, hit]));
  // Paging and filtering fetch `?format=json` and re-render: those results are newer.
  for (const { body } of capturedBodies(context)) {
    if (Array.isArray(body.results)) for (const hit of body.results.filter(isHit)) byId.set(hit.hit_set_id, hit);
  }
  return { table: table?.element ?? null, listed, byId };
}

function projectLinks(row) {
  return [...row.querySelectorAll(SITE.selectors.projectLink)].filter((link) => SITE.projectInHref.test(link.getAttribute('href') ?? ''));
}

function readListings(document, context) {
  const { table, listed, byId } = hitsOnPage(document, context);
  if (!table) return [];
  const found = [];
  [...table.querySelectorAll(SITE.selectors.row)].forEach((row, index) => {
    const links = projectLinks(row);
    const id = links.length ? SITE.projectInHref.exec(links[0].getAttribute('href'))[1] : null;
    // Rows follow bodyData's order; a row's own project link wins when it has one.
    const hit = id ? byId.get(id) : listed[index];
    const listing = hit && listingFromHit(hit);
    if (!listing) return;
    const titleLink = links.find((link) => !SITE.buttonText.test(link.textContent));
    found.push({ listing, anchor: titleLink ?? row, block: row, details: { hits_available: Number.isSafeInteger(hit.assignable_hits_count) ? hit.assignable_hits_count : null } });
  });
  return found;
}

function requesterIdFrom(contactUrl) {
  if (typeof contactUrl !== 'string') return null;
  try {
    const params = new URL(contactUrl, `https://${SITE.host}`).searchParams;
    for (const name of SITE.contactRequesterParams) if (params.get(name)) return params.get(name);
  } catch {
    // a malformed link: no requester id rather than a wrong one
  }
  return null;
}

function readTask(document, url) {
  const page = new URL(url);
  const match = SITE.taskPath.exec(page.pathname);
  const assignmentId = page.searchParams.get('assignment_id');
  if (!match || !assignmentId) return null;
  const modal = reactProps(document, SITE.components.modal)?.props.modalOptions;
  const timer = reactProps(document, SITE.components.timer)?.props;
  if (!modal || typeof modal !== 'object') return null;
  const listing = buildListing({
    platform: 'mturk',
    task_id: match[1],
    requester_id: requesterIdFrom(modal.contactRequesterUrl),
    reward: rewardOf(modal.monetaryReward),
    time_allotted_s: modal.assignmentDurationInSeconds ?? timer?.originalTimeToCompleteInSeconds,
    advertised_duration_s: advertisedInTitle(modal.projectTitle),
  });
  if (!listing) return null;
  const task = { platform: 'mturk', task_id: listing.task_id, reward: listing.reward };
  for (const field of ['requester_id', 'advertised_duration_s', 'time_allotted_s']) if (field in listing) task[field] = listing[field];
  const left = timer?.timeRemainingInSeconds;
  if (Number.isSafeInteger(left) && left >= 0) task.time_left_s = left;
  // For the caller to hash with the install's secret; never sent as it is.
  task.assignment_id = cleanText(assignmentId, 128);
  return task;
}

export default Object.freeze({
  id: 'mturk',
  version: '1.0.0',
  platform: 'mturk',
  matches: ['https://worker.mturk.com/*'],
  urls: ['https://worker.mturk.com/', 'https://worker.mturk.com/projects'],
  captures: SITE.captures,
  isListPage: (url) => url.hostname === SITE.host && SITE.listPath.test(url.pathname),
  isTaskPage: (url) => url.hostname === SITE.host && SITE.taskPath.test(url.pathname) && url.searchParams.has('assignment_id'),
  countBlocks: (document) => document.querySelectorAll(SITE.selectors.row).length,
  readListings,
  readTask,
});
