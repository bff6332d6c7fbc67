// What every handler needs, built once per worker start from the browser's APIs (tests
// build the same object around an in-memory chrome).

import { pickLanguage, loadMessages } from '../shared/i18n.js';
import { serviceBase, withDefaults } from '../shared/settings.js';
import { createStore } from './store.js';

/** storage.session where the browser has it (Chrome 102+, Firefox 115+); memory otherwise. */
function sessionArea(chrome) {
  if (chrome.storage.session) return chrome.storage.session;
  const memory = {};
  return {
    async get(key) { return key in memory ? { [key]: memory[key] } : {}; },
    async set(values) { Object.assign(memory, values); },
    async remove(key) { delete memory[key]; },
  };
}

export function createContext(chrome, { fetchImpl = (...args) => fetch(...args), now = () => Date.now(), random = Math.random } = {}) {
  const store = createStore(chrome.storage.local);
  const cacheStore = createStore(sessionArea(chrome));
  const catalogues = new Map();
  const context = {
    chrome,
    store,
    cacheStore,
    now,
    random,
    fetchImpl,
    version: chrome.runtime.getManifest().version,
    async settings() {
      return withDefaults(await store.get('settings', {}));
    },
    updateSettings(change) {
      return store.update('settings', (current) => change(withDefaults(current)), {});
    },
    async deps() {
      const settings = await context.settings();
      return { store, cacheStore, base: serviceBase(settings), version: context.version, fetchImpl, now, random };
    },
    async language() {
      return pickLanguage((await context.settings()).language, chrome.i18n.getUILanguage());
    },
    async catalogue(language) {
      if (!catalogues.has(language)) catalogues.set(language, await loadMessages(language, fetchImpl, (path) => chrome.runtime.getURL(path)));
      return catalogues.get(language);
    },
  };
  return context;
}
