// The browser's tab, window and idle events, applied to the running timings: a tab opened
// from a task joins it, a closed one leaves it, and every change of what is in front opens or
// closes the task's foreground segment (foreground.js). Each event reads the current state
// from the browser rather than trusting a copy kept in memory, so a worker that was stopped
// in between, or an event missed, cannot leave a segment running on the wrong tab.

import { settle } from '../foreground.js';
import { housekeeping } from '../housekeeping.js';
import { forgetTabs, tabClosed, tabOpened } from '../study-tabs.js';
import { end } from '../timings.js';

/** chrome.idle counts in whole seconds and refuses less than 15. */
export const idleInterval = (settings) => Math.max(15, settings.idleSeconds);

/** The focused window's active tab while the worker is not idle, else null. */
export async function frontTab(chrome, settings) {
  if (chrome.idle && (await chrome.idle.queryState(idleInterval(settings))) !== 'active') return null;
  // Firefox for Android has no windows API: only the page's own clock counts there.
  if (!chrome.windows) return null;
  const window = await chrome.windows.getLastFocused({ populate: true });
  if (!window?.focused) return null;
  return window.tabs?.find((tab) => tab.active)?.id ?? null;
}

const anyRunning = (records) => Object.values(records).some((record) => record.state === 'running');

/**
 * Applies `change(records, now)` to the timings and settles the foreground segments, in one
 * step of the store's queue. Without a running record (and unless `always`) there is nothing
 * to do and nothing is written: this runs on every tab opened or switched in the browser.
 */
export async function track(context, change = null, { always = false } = {}) {
  if (!always && !anyRunning(await context.store.get('timings', {}))) return;
  const settings = await context.settings();
  await context.store.update('timings', async (records) => {
    const changed = change ? change(records, context.now()) : records;
    if (!anyRunning(changed)) return changed;
    const front = await frontTab(context.chrome, settings).catch(() => null);
    return settle(changed, { front, now: context.now() });
  }, {});
}

export function tabHandlers(context) {
  return {
    /** What is in front may have changed (tab activated, window focus, idle state). */
    follow: () => track(context),

    created: (tab) => track(context, (records, now) => tabOpened(records, { tabId: tab.id, openerTabId: tab.openerTabId, now })),

    /**
     * A study tab closing only leaves its task; the task page's tab closing ends its record
     * (its page usually said so first) where it was last heard from.
     */
    async removed(tabId) {
      const settings = await context.settings();
      await track(context, (records, now) => {
        let next = tabClosed(records, tabId);
        for (const record of Object.values(next)) {
          if (record.state !== 'running' || record.tab_id !== tabId) continue;
          const heard = (record.foreground_since ?? null) === null ? record.last_seen : now;
          next = end(next, { id: record.id, activeSeconds: record.active_s, now: heard, reviewMs: settings.reviewMinutes * 60_000 });
        }
        return next;
      }, { always: true });
      await housekeeping(context);
    },

    browserStarted: () => context.store.update('timings', (records) => forgetTabs(records), {}),

    /** The idle events follow the worker's idle setting. */
    async watchIdle() {
      if (!context.chrome.idle) return;
      await context.chrome.idle.setDetectionInterval(idleInterval(await context.settings()));
    },
  };
}
