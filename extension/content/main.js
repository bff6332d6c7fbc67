// The content script's module entry (imported by loader.js). It picks what this page is —
// a platform's list page, a task page, or a site where the worker turned the generic
// detector on — and runs that feature until the page navigates (single-page apps change
// URL without reloading: each navigation aborts the feature's signal and starts afresh).

import { adapterFor, adapterHealth, readListingsSafely, readTaskSafely } from './adapters/registry.js';
import { detectListings } from './detect/index.js';
import { collectCaptures } from './main-world/receive.js';
import { translator } from '../shared/i18n.js';
import { watchListings } from './listings.js';
import { startSession } from './timer/session.js';
import { isOverlayNode } from './overlay/overlay.js';
import { workerLink } from './worker-link.js';

const BATCH_MS = 120;
const worker = workerLink(chrome.runtime);
const now = () => Date.now();

/** Calls an adapter method; a throwing adapter is logged and treated as "no". */
function safely(label, call, fallback) {
  try {
    return call();
  } catch (error) {
    console.warn(`FairClick: ${label} failed`, error);
    return fallback;
  }
}

function featureFor(url, hello) {
  const adapter = safely('adapterFor', () => adapterFor(url), null);
  if (adapter) {
    if (hello.settings.platforms[adapter.platform] === false || hello.settings.platforms[adapter.id] === false) return null;
    if (safely(`${adapter.id}.isTaskPage`, () => adapter.isTaskPage(url), false)) return { kind: 'task', adapter };
    if (safely(`${adapter.id}.isListPage`, () => adapter.isListPage(url), false)) return { kind: 'list', adapter };
    return { kind: 'other', adapter };
  }
  if (hello.generic) return { kind: 'generic' };
  return null;
}

function start(feature, url, hello, signal, captured) {
  const context = () => ({ captured, host: url.host });
  const t = translator(hello.messages);
  const common = { document, worker, t, language: hello.language, settings: hello.settings, signal, now };
  if (feature.kind === 'list') {
    const { adapter } = feature;
    return watchListings({
      ...common,
      read: (page) => readListingsSafely(adapter, page, context()),
      health: () => adapterHealth(adapter, url, [], document),
    }).batch;
  }
  if (feature.kind === 'generic') {
    return watchListings({ ...common, read: (page) => detectListings(page, { host: url.host }) }).batch;
  }
  const { adapter } = feature;
  let session = null;
  let starting = false;
  // Endings an adapter can read on any of its pages (optional `readEnding`), e.g. a
  // "submission complete" page after the task page.
  const readEnding = () => (typeof adapter.readEnding === 'function'
    ? safely(`${adapter.id}.readEnding`, () => adapter.readEnding(document, url, context()), null)
    : null);
  return async () => {
    const ending = readEnding();
    if (feature.kind !== 'task') {
      if (ending) worker.send('timing.hint', { platform: adapter.platform, outcome: ending }).catch(() => {});
      return;
    }
    if (session) {
      if (ending) session.end(ending);
      return;
    }
    if (starting) return;
    const task = readTaskSafely(adapter, document, url, context());
    if (!task) return; // the page may still be rendering: the next batch tries again
    starting = true;
    session = await startSession(task, { window, worker, runtime: chrome.runtime, now, settings: hello.settings, signal }).catch(() => null);
    starting = false;
  };
}

async function main() {
  let hello = await worker.send('hello', { url: window.location.href });
  if (!hello?.messages) return;
  let href = null;
  let controller = null;
  let batch = null;
  let timer = null;
  let kind = null;
  // JSON the page's own scripts received (MAIN-world relay); adapters read it as context.captured.
  const captured = collectCaptures(window, { onCapture: () => queue() });

  const route = (force = false) => {
    if (!force && window.location.href === href) return;
    href = window.location.href;
    controller?.abort();
    controller = new AbortController();
    const url = new URL(href);
    const feature = featureFor(url, hello);
    kind = feature?.kind ?? null;
    batch = feature ? start(feature, url, hello, controller.signal, captured) : null;
  };

  const run = () => {
    timer = null;
    route();
    batch?.();
  };
  // The observer's callback only queues; the work runs once per BATCH_MS at most.
  const queue = () => {
    if (timer === null) timer = window.setTimeout(run, BATCH_MS);
  };
  // Our own badges and reorderings are not news.
  const ours = (mutation) => {
    const nodes = [...mutation.addedNodes, ...mutation.removedNodes];
    return nodes.length > 0 && nodes.every(isOverlayNode);
  };
  const observer = new MutationObserver((mutations) => {
    if (!mutations.every(ours)) queue();
  });
  // The document itself, not documentElement: at document_start the latter may not exist yet.
  observer.observe(document, { childList: true, subtree: true });
  window.addEventListener('popstate', queue);
  window.addEventListener('hashchange', queue);
  // Back/forward cache: the page comes back with its old state; start over.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      route(true);
      queue();
    }
  });
  // New settings (threshold, display choices, language) redraw a list page at once. A task
  // page keeps its clock running: restarting it would end and reopen the timing.
  chrome.storage.onChanged.addListener(async (changes, area) => {
    if (area !== 'local' || !changes.settings || kind === 'task') return;
    hello = await worker.send('hello', { url: window.location.href }).catch(() => hello);
    route(true);
    queue();
  });
  route();
  queue();
}

main().catch((error) => console.warn('FairClick: content script stopped', error));
