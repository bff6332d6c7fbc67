// The parts of the browser's extension API the worker uses, in memory, for node tests:
// storage areas that copy values like the real ones (so a test sees what was stored, not a
// shared object), alarms that only record, and a scripting/permissions pair with state.

class StorageArea {
  constructor(initial = {}) {
    this.data = structuredClone(initial);
  }

  async get(keys) {
    if (keys === undefined || keys === null) return structuredClone(this.data);
    const wanted = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
    const found = {};
    for (const key of wanted) if (key in this.data) found[key] = structuredClone(this.data[key]);
    return found;
  }

  async set(values) {
    Object.assign(this.data, structuredClone(values));
  }

  async remove(keys) {
    for (const key of typeof keys === 'string' ? [keys] : keys) delete this.data[key];
  }
}

/** A fake `chrome`; pass `local` (a StorageArea) to start a "new worker" on existing storage. */
export function fakeChrome({ local = new StorageArea(), uiLanguage = 'en-GB', granted = [] } = {}) {
  const alarms = new Map();
  const registered = new Map();
  const permissions = new Set(granted);
  const sentToTabs = [];
  return {
    storage: { local, session: new StorageArea() },
    runtime: {
      id: 'test-extension',
      getManifest: () => ({ version: '0.1.0' }),
      getURL: (path) => `chrome-extension://test-extension/${path}`,
    },
    i18n: { getUILanguage: () => uiLanguage },
    alarms: {
      all: alarms,
      async get(name) { return alarms.get(name); },
      async create(name, info) { alarms.set(name, { name, ...info }); },
      async clear(name) { return alarms.delete(name); },
    },
    action: {
      badge: '',
      async setBadgeText({ text }) { this.badge = text; },
      async setBadgeBackgroundColor() {},
    },
    tabs: {
      sent: sentToTabs,
      async sendMessage(tabId, message) { sentToTabs.push({ tabId, message }); },
    },
    permissions: {
      granted: permissions,
      async contains({ origins }) { return origins.every((origin) => permissions.has(origin)); },
      async remove({ origins }) { origins.forEach((origin) => permissions.delete(origin)); return true; },
    },
    scripting: {
      registered,
      injected: [],
      async getRegisteredContentScripts({ ids } = {}) {
        return [...registered.values()].filter((script) => !ids || ids.includes(script.id));
      },
      async registerContentScripts(scripts) {
        for (const script of scripts) {
          if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registered.set(script.id, script);
        }
      },
      async unregisterContentScripts({ ids }) { ids.forEach((id) => registered.delete(id)); },
      async executeScript(details) { this.injected.push(details); return []; },
    },
  };
}

export { StorageArea };

/**
 * A fetch that answers from `handler(path, body, request)` -> {status, body, headers} and
 * records every call ({path, method, headers, body}).
 */
export function fakeFetch(handler) {
  const calls = [];
  const fetchImpl = async (url, init = {}) => {
    const { pathname } = new URL(url);
    const body = init.body ? JSON.parse(init.body) : undefined;
    const call = { path: pathname, method: init.method ?? 'GET', headers: init.headers ?? {}, body };
    calls.push(call);
    const answer = await handler(pathname, body, call);
    if (answer instanceof Error) throw answer;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: answer.headers ?? {} });
  };
  fetchImpl.calls = calls;
  return fetchImpl;
}

/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 20, 9, 0, 0)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms) => { now += ms; };
  clock.set = (value) => { now = value; };
  return clock;
}
