// The extension's service worker (Chrome) / background script (Firefox). It may be stopped
// whenever idle and started again by any event, so: every listener is registered here,
// synchronously, at the top level; all state is in chrome.storage; periodic work runs on
// chrome.alarms.

import { createContext } from './context.js';
import { reconcileGeneric } from './generic-sites.js';
import { contentHandlers } from './handlers/content.js';
import { pageHandlers } from './handlers/pages.js';
import { tabHandlers } from './handlers/tabs.js';
import { RETRY_ALARM, SYNC_ALARM, ensureAlarms, housekeeping, showBadge } from './housekeeping.js';
import { ensureSecret } from './install.js';

const context = createContext(chrome);
const fromContent = contentHandlers(context);
const fromPages = pageHandlers(context);
const tabs = tabHandlers(context);
const warn = (label) => (error) => console.warn(`FairClick: ${label}`, error);
const extensionPages = chrome.runtime.getURL('extension/');

async function firstRun() {
  await ensureSecret(context.store);
  await ensureAlarms(chrome);
  const settings = await context.settings();
  if (!settings.threshold) {
    // The service may not be reachable yet; the options page offers the same later.
    await fromPages['threshold.default']({ onlyIfUnset: true }).catch(() => null);
  }
  await housekeeping(context).catch(() => null);
  await context.store.set('firstRunDone', true);
}

chrome.runtime.onInstalled.addListener(() => {
  firstRun().catch((error) => console.warn('FairClick: first run', error));
  context.settings().then((settings) => reconcileGeneric({ ...context, settings })).catch(() => null);
});

chrome.runtime.onStartup.addListener(() => {
  ensureAlarms(chrome).catch(() => null);
  context.settings().then((settings) => reconcileGeneric({ ...context, settings })).catch(() => null);
  showBadge(context).catch(() => null);
  return tabs.browserStarted().catch(warn('tabs after start'));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== SYNC_ALARM && alarm.name !== RETRY_ALARM) return undefined;
  return housekeeping(context).catch(warn('sync'));
});

// A started study runs in tabs of its own (handlers/tabs.js). These listeners return their
// work's promise (browsers ignore it for these events) so tests can wait for it.
chrome.tabs.onCreated.addListener((tab) => tabs.created(tab).catch(warn('tab opened')));
chrome.tabs.onRemoved.addListener((tabId) => tabs.removed(tabId).catch(warn('tab closed')));
chrome.tabs.onActivated.addListener(() => tabs.follow().catch(warn('tab activated')));
chrome.windows?.onFocusChanged.addListener(() => tabs.follow().catch(warn('window focus')));
chrome.idle?.onStateChanged.addListener(() => tabs.follow().catch(warn('idle')));
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.settings) return tabs.watchIdle().catch(warn('idle setting'));
  return undefined;
});
tabs.watchIdle().catch(warn('idle setting'));

chrome.permissions.onRemoved.addListener(() => {
  context.settings().then((settings) => reconcileGeneric({ ...context, settings })).catch(() => null);
});

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const type = message?.type;
  // Pages of the extension may do anything the popup does; content scripts only their part.
  const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(extensionPages);
  const handler = Object.hasOwn(fromContent, type) ? fromContent[type] : fromExtensionPage && Object.hasOwn(fromPages, type) ? fromPages[type] : null;
  if (!handler) return false;
  handler(message, sender).then(sendResponse, (error) => {
    console.warn(`FairClick: ${type}`, error);
    sendResponse({ error: { code: 'internal', message: String(error?.message || error) } });
  });
  return true;
});
