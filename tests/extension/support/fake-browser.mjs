// A browser for the worker's tests: windows holding tabs, one focused window (or none), an
// idle state, and the events the worker listens to, on the in-memory `chrome` of
// fake-chrome.mjs. Each action changes the browser first, then fires its events the way
// Chrome does and waits for the work the listeners return. `startWorker()` imports a fresh
// instance of the real worker module; `stopWorker()` forgets its listeners, as a stopped
// service worker does, while the storage stays.
import { fakeChrome, StorageArea } from './fake-chrome.mjs';

export const WINDOW_ID_NONE = -1;
const WORKER = new URL('../../../extension/background/worker.js', import.meta.url);
let instances = 0;

function event() {
  let listeners = [];
  return {
    addListener: (listener) => { listeners.push(listener); },
    removeListener: (listener) => { listeners = listeners.filter((known) => known !== listener); },
    hasListener: (listener) => listeners.includes(listener),
    get count() { return listeners.length; },
    forget: () => { listeners = []; },
    dispatch: (...args) => Promise.all(listeners.map((listener) => listener(...args))),
  };
}

export function fakeBrowser({ local = new StorageArea() } = {}) {
  const chrome = fakeChrome({ local });
  const windows = new Map(); // id -> {id, tabs: [tab ids], active}
  const tabs = new Map(); // id -> {id, windowId}
  let nextId = 100;
  let focused = WINDOW_ID_NONE;
  let lastFocused = null;
  let idle = 'active';

  const events = {
    installed: chrome.runtime.onInstalled = event(),
    startup: chrome.runtime.onStartup = event(),
    message: chrome.runtime.onMessage = event(),
    alarm: chrome.alarms.onAlarm = event(),
    permissionRemoved: chrome.permissions.onRemoved = event(),
    storageChanged: chrome.storage.onChanged = event(),
    created: chrome.tabs.onCreated = event(),
    activated: chrome.tabs.onActivated = event(),
    removed: chrome.tabs.onRemoved = event(),
    focusChanged: event(),
    idleChanged: event(),
  };
  const tabInfo = (id, windowId) => ({ id, windowId, active: windows.get(windowId).active === id });
  chrome.windows = {
    WINDOW_ID_NONE,
    onFocusChanged: events.focusChanged,
    async getLastFocused({ populate = false } = {}) {
      if (lastFocused === null) throw new Error('No last-focused window');
      const window = windows.get(lastFocused);
      const found = { id: window.id, focused: focused === window.id, type: 'normal' };
      if (populate) found.tabs = window.tabs.map((id) => tabInfo(id, window.id));
      return found;
    },
  };
  chrome.idle = {
    interval: 60,
    onStateChanged: events.idleChanged,
    async queryState(seconds) {
      if (!Number.isInteger(seconds) || seconds < 15) throw new Error(`queryState(${seconds}): at least 15 s`);
      return idle;
    },
    async setDetectionInterval(seconds) { this.interval = seconds; },
  };
  chrome.tabs.get = async (id) => {
    if (!tabs.has(id)) throw new Error(`No tab with id: ${id}.`);
    return tabInfo(id, tabs.get(id).windowId);
  };

  const browser = {
    chrome,
    events,

    async startWorker() {
      globalThis.chrome = chrome;
      instances += 1;
      await import(`${WORKER.href}?instance=${instances}`);
      // Its top-level start-up work (the idle setting) goes through the same store queue.
      await new Promise((ok) => setImmediate(ok));
    },

    stopWorker() {
      for (const known of Object.values(events)) known.forget();
    },

    async openWindow() {
      const id = nextId++;
      windows.set(id, { id, tabs: [], active: null });
      await browser.focus(id);
      return id;
    },

    /** A tab opened in `windowId` (by default in front), from `opener` if given. */
    async openTab(windowId, { opener = null, active = true } = {}) {
      const id = nextId++;
      const window = windows.get(windowId);
      window.tabs.push(id);
      tabs.set(id, { id, windowId });
      const tab = { id, windowId, active, index: window.tabs.length - 1 };
      if (opener !== null) tab.openerTabId = opener;
      await events.created.dispatch(tab);
      if (active) await browser.activate(id);
      return id;
    },

    async activate(tabId) {
      const { windowId } = tabs.get(tabId);
      windows.get(windowId).active = tabId;
      await events.activated.dispatch({ tabId, windowId });
    },

    async focus(windowId) {
      focused = windowId;
      if (windowId !== WINDOW_ID_NONE) lastFocused = windowId;
      await events.focusChanged.dispatch(windowId);
    },

    async setIdle(state) {
      idle = state;
      await events.idleChanged.dispatch(state);
    },

    async closeTab(tabId) {
      const { windowId } = tabs.get(tabId);
      const window = windows.get(windowId);
      window.tabs = window.tabs.filter((id) => id !== tabId);
      tabs.delete(tabId);
      await events.removed.dispatch(tabId, { windowId, isWindowClosing: false });
      if (window.active === tabId && window.tabs.length) await browser.activate(window.tabs.at(-1));
    },

    /** A message from the content script in `tabId` (or from an extension page without one); resolves to the answer. */
    message(message, { tabId = null, url = 'https://app.prolific.com/' } = {}) {
      return new Promise((ok) => {
        const sender = tabId === null ? { url } : { url, tab: tabHandle(tabId) };
        events.message.dispatch(message, sender, ok);
      });
    },

    /** The extension's popup asking the worker (its messages come from an extension page). */
    popup(message) {
      return browser.message(message, { url: chrome.runtime.getURL('extension/popup/popup.html') });
    },

    async records() {
      return (await local.get('timings')).timings ?? {};
    },
  };
  const tabHandle = (tabId) => ({ id: tabId, windowId: tabs.get(tabId).windowId });
  return browser;
}
