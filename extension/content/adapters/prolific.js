// Prolific's studies list (app.prolific.com/studies) and a started study.
// The page fetches its studies from internal-api.prolific.com; the MAIN-world observer relays
// that JSON, which is exact (ids, minor units). The cards' DOM is the fallback. Formats and
// their sources: tests/fixtures/sites/prolific/README.md.

import { buildListing, cleanText } from '../detect/listing.js';
import { minorUnitsToAmount } from '../detect/money.js';
import { parsePrice } from '../detect/price.js';
import { parseDuration } from '../detect/duration.js';
import { capturedBodies, textOf } from './captured.js';

export const SITE = Object.freeze({
  host: 'app.prolific.com',
  listPath: /^\/studies\/?$/,
  studyPath: /^\/studies\/([0-9a-f]{24})(?:\/|$)/i,
  // Responses the MAIN-world observer relays (extension/content/main-world/capture.js keeps a copy).
  captures: [
    /^https:\/\/internal-api\.prolific\.com\/api\/v1\/participant\/studies\//,
    /^https:\/\/internal-api\.prolific\.com\/api\/v1\/submissions\/reserve\/?(?:[?#]|$)/,
  ],
  // The participant API's study fields. Rewards are minor units (pence, cents); newer responses
  // give {amount, currency} under study_reward/reward, older ones a bare number under reward.
  fields: {
    id: 'id', title: 'name', reward: ['study_reward', 'reward'], researcher: 'researcher',
    estimatedMinutes: 'estimated_completion_time', maximumMinutes: 'maximum_allowed_time',
    totalPlaces: 'total_available_places', placesTaken: 'places_taken', placesAvailable: 'places_available',
  },
  // A bare-number reward predates multi-currency rewards, when Prolific paid in pounds.
  defaultCurrency: 'GBP',
  selectors: {
    card: 'li[data-testid^="study-"]',
    title: '[data-testid="title"]',
    host: '[data-testid="host"]',
    reward: '[data-testid="study-tag-reward"]',
    completionTime: '[data-testid="study-tag-completion-time"]',
    places: '[data-testid="study-tag-places"]',
  },
  cardId: /^study-([A-Za-z0-9]{1,64})$/,
  hostPrefix: /^\s*(?:by|par)\s+/i,
  activeSubmission: /^(?:RESERVED|ACTIVE)$/,
});
const F = SITE.fields;

function rewardOf(study) {
  for (const field of F.reward) {
    const value = study[field];
    if (value && typeof value === 'object') {
      const currency = typeof value.currency === 'string' ? value.currency.toUpperCase() : '';
      const amount = minorUnitsToAmount(value.amount, currency);
      return amount === null ? null : { amount, currency };
    }
    if (typeof value === 'number') {
      const amount = minorUnitsToAmount(value, SITE.defaultCurrency);
      return amount === null ? null : { amount, currency: SITE.defaultCurrency };
    }
  }
  return null;
}

const minutesToSeconds = (minutes) => (typeof minutes === 'number' && Number.isFinite(minutes) ? minutes * 60 : undefined);

function placesLeft(study) {
  if (Number.isSafeInteger(study[F.placesAvailable])) return study[F.placesAvailable];
  const total = study[F.totalPlaces];
  const taken = study[F.placesTaken];
  return Number.isSafeInteger(total) && Number.isSafeInteger(taken) ? Math.max(0, total - taken) : null;
}

function listingFromStudy(study) {
  const researcher = study[F.researcher] && typeof study[F.researcher] === 'object' ? study[F.researcher] : {};
  return buildListing({
    platform: 'prolific',
    task_id: study[F.id],
    requester_id: typeof researcher.id === 'string' ? researcher.id : null,
    requester_name: typeof researcher.name === 'string' ? researcher.name : null,
    title: typeof study[F.title] === 'string' ? study[F.title] : null,
    reward: rewardOf(study),
    advertised_duration_s: minutesToSeconds(study[F.estimatedMinutes]),
    time_allotted_s: minutesToSeconds(study[F.maximumMinutes]),
  });
}

const looksLikeStudy = (value) => value && typeof value === 'object' && typeof value[F.id] === 'string' && typeof value[F.title] === 'string';

/** Study id -> study object, from every studies list or single study the page received (latest wins). */
function capturedStudies(context) {
  const studies = new Map();
  for (const { body } of capturedBodies(context)) {
    const found = Array.isArray(body.results) ? body.results : [body];
    for (const study of found) if (looksLikeStudy(study)) studies.set(study[F.id], study);
  }
  return studies;
}

function cardId(card) {
  const match = SITE.cardId.exec(card.getAttribute('data-testid') ?? '');
  return match ? match[1] : null;
}

function listingFromCard(card, id) {
  const reward = parsePrice(textOf(card.querySelector(SITE.selectors.reward)));
  return buildListing({
    platform: 'prolific',
    task_id: id,
    requester_name: textOf(card.querySelector(SITE.selectors.host)).replace(SITE.hostPrefix, ''),
    title: textOf(card.querySelector(SITE.selectors.title)),
    reward,
    advertised_duration_s: parseDuration(textOf(card.querySelector(SITE.selectors.completionTime))),
  });
}

function placesOnCard(card) {
  const match = /\d+/.exec(textOf(card.querySelector(SITE.selectors.places)).replace(/[\s,.]/g, ''));
  return match ? Number(match[0]) : null;
}

function readListings(document, context) {
  const studies = capturedStudies(context);
  const found = [];
  for (const card of document.querySelectorAll(SITE.selectors.card)) {
    const id = cardId(card);
    if (!id) continue;
    const study = studies.get(id);
    const listing = (study && listingFromStudy(study)) || listingFromCard(card, id);
    if (!listing) continue;
    found.push({
      listing,
      anchor: card.querySelector(SITE.selectors.title) ?? card,
      block: card,
      details: { places_left: study ? placesLeft(study) : placesOnCard(card) },
    });
  }
  return found;
}

function submissionFor(studyId, context) {
  let submission = null;
  for (const { body } of capturedBodies(context)) {
    const bodyStudy = typeof body.study_id === 'string' ? body.study_id : body.study?.id;
    if (bodyStudy === studyId && typeof body.id === 'string' && SITE.activeSubmission.test(String(body.status ?? '').toUpperCase())) submission = body;
  }
  return submission;
}

function readTask(document, url, context) {
  const match = SITE.studyPath.exec(new URL(url).pathname);
  if (!match) return null;
  const studyId = match[1];
  const study = capturedStudies(context).get(studyId);
  const listing = study ? listingFromStudy(study) : listingFromCard(document, studyId);
  if (!listing) return null;
  const submission = submissionFor(studyId, context);
  const task = { platform: 'prolific', task_id: listing.task_id, reward: listing.reward };
  for (const field of ['requester_id', 'advertised_duration_s', 'time_allotted_s']) if (field in listing) task[field] = listing[field];
  // The submission id identifies the attempt; the caller hashes it before it leaves the browser.
  if (submission) task.assignment_id = cleanText(submission.id, 128);
  return task;
}

export default Object.freeze({
  id: 'prolific',
  version: '1.0.0',
  platform: 'prolific',
  matches: ['https://app.prolific.com/*'],
  urls: ['https://app.prolific.com/studies'],
  captures: SITE.captures,
  isListPage: (url) => url.hostname === SITE.host && SITE.listPath.test(url.pathname),
  isTaskPage: (url) => url.hostname === SITE.host && SITE.studyPath.test(url.pathname),
  countBlocks: (document) => document.querySelectorAll(SITE.selectors.card).length,
  readListings,
  readTask,
});
