// A real headless Chromium with the extension loaded from the repository root, as a worker
// would load it unpacked. Helpers reach the extension through its own surfaces: its
// storage (what the options page writes) and its pages (popup, options).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './service.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function launchWithExtension() {
  const profile = await mkdtemp(join(tmpdir(), 'fairclick-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      `--disable-extensions-except=${ROOT}`,
      `--load-extension=${ROOT}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  let worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
  const extensionId = new URL(worker.url()).host;
  // The first run writes settings (the default threshold) after a network round trip; a test
  // that configured the extension before it ends could have its change overwritten.
  for (let attempt = 0; !(await worker.evaluate(async () => (await chrome.storage.local.get('firstRunDone')).firstRunDone)); attempt += 1) {
    if (attempt > 200) throw new Error('the extension\'s first run did not finish');
    await new Promise((ok) => setTimeout(ok, 50));
  }
  // The browser stops an idle worker and starts a new one on the next event: follow it.
  context.on('serviceworker', (started) => { worker = started; });
  return {
    context,
    get worker() {
      return worker;
    },
    extensionId,
    pageUrl: (path) => `chrome-extension://${extensionId}/${path}`,
    /** Merges `patch` into the extension's settings, as the options page does. */
    async configure(patch) {
      await worker.evaluate(async (change) => {
        const { settings = {} } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...settings, ...change } });
      }, patch);
    },
    /**
     * Stops the extension's service worker, as the browser does when it is idle: its memory
     * is gone, the next event starts a fresh one from what is in storage. `page` is any open
     * extension page (its DevTools session can reach the extension's workers).
     */
    async stopWorker(page) {
      const session = await context.newCDPSession(page);
      const stopped = new Promise((ok) => {
        session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          if (versions.some((version) => version.scriptURL.includes(extensionId) && version.runningStatus === 'stopped')) ok();
        });
      });
      await session.send('ServiceWorker.enable');
      await session.send('ServiceWorker.stopAllWorkers');
      await stopped;
      await session.detach();
    },
    async storage(key) {
      return worker.evaluate(async (name) => (await chrome.storage.local.get(name))[name], key);
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Serves `body` for every request to `pattern` (fixture pages at the platforms' real URLs). */
export async function serve(context, pattern, body, contentType = 'text/html; charset=utf-8') {
  await context.route(pattern, (route) => route.fulfill({ status: 200, contentType, body }));
}

/** Polls `check` (no fixed sleeps): resolves with its first truthy value, or fails after `timeoutMs`. */
export async function eventually(check, { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await new Promise((ok) => setTimeout(ok, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
