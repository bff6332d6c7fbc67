// Messages from content scripts: what a page needs to draw the overlay, scores for its
// listings, adapter health, and the timing of the task page it shows.

import { callService } from '../api.js';
import { siteOf } from '../generic-sites.js';
import { assignmentHash } from '../hash.js';
import { ensureInstall, ensureSecret } from '../install.js';
import { adapterHealthPayload } from '../payloads.js';
import { scoreListings } from '../scores.js';
import { releaseTab, taskPageGesture } from '../study-tabs.js';
import { beat, end, hint, startOrResume } from '../timings.js';
import { housekeeping } from '../housekeeping.js';
import { track } from './tabs.js';

const HEALTH_EVERY_MS = 3600_000;
const TITLES_KEPT = 2000;
const titleKey = (platform, taskId) => `${platform}|${taskId}`;

export function contentHandlers(context) {
  const newId = () => crypto.randomUUID();

  return {
    async hello({ url }) {
      const settings = await context.settings();
      const language = await context.language();
      const site = url ? siteOf(url) : null;
      return {
        language,
        messages: await context.catalogue(language),
        generic: Boolean(site && settings.genericSites.includes(site)),
        settings: {
          threshold: settings.threshold ? { amount: settings.threshold.amount, currency: settings.threshold.currency } : null,
          belowThreshold: settings.belowThreshold,
          sortByHourly: settings.sortByHourly,
          idleSeconds: settings.idleSeconds,
          platforms: settings.platforms,
        },
      };
    },

    async score({ listings }) {
      if (!Array.isArray(listings) || !listings.length) return { scores: [] };
      // Titles never leave the browser, but the popup names a timed task by the title its listing showed.
      const titles = listings.filter((listing) => typeof listing.title === 'string' && listing.title).map((listing) => [titleKey(listing.platform, listing.task_id), listing.title.slice(0, 300)]);
      if (titles.length) {
        await context.cacheStore.update('titles', (current) => Object.fromEntries([...Object.entries(current || {}), ...titles].slice(-TITLES_KEPT)), {});
      }
      const settings = await context.settings();
      return scoreListings(await context.deps(), listings, settings.threshold);
    },

    /** Counts and the adapter's id only, at most once an hour per adapter. */
    async 'adapter-health'(report) {
      const payload = adapterHealthPayload(report);
      const now = context.now();
      const seen = await context.cacheStore.get('health', {});
      if (now - (seen[payload.adapter] ?? 0) < HEALTH_EVERY_MS) return { sent: false };
      await context.cacheStore.update('health', (current) => ({ ...(current || {}), [payload.adapter]: now }), {});
      const deps = await context.deps();
      const install = await ensureInstall(deps);
      if (install.error) return { sent: false };
      const answer = await callService(deps.base, '/v1/adapter-health', { token: install.token, body: payload, fetchImpl: deps.fetchImpl });
      return { sent: answer.status >= 200 && answer.status < 300 };
    },

    async 'timing.start'({ task: found, assignment_id: assignmentId }, sender) {
      const secret = await ensureSecret(context.store);
      const titles = found?.title ? {} : await context.cacheStore.get('titles', {});
      const task = found && !found.title ? { ...found, title: titles[titleKey(found.platform, found.task_id)] } : found;
      // The raw id stops here: only its keyed digest is stored or sent.
      const hash = typeof assignmentId === 'string' && assignmentId && task?.platform
        ? await assignmentHash(secret, task.platform, assignmentId)
        : null;
      const tabId = sender.tab?.id ?? null;
      let started = null;
      // Settled at once: the task's tab is usually in front as it starts.
      await track(context, (records, now) => {
        const result = startOrResume(releaseTab(records, tabId), { task, assignmentHash: hash, tabId, now, newId });
        started = result.record;
        return result.records;
      }, { always: true });
      if (!started) return { error: { code: 'bad_task' } };
      return { record_id: started.id, active_s: started.active_s, paused: started.paused, time_allotted_s: started.time_allotted_s };
    },

    async 'timing.beat'({ record_id: id, active_s: activeSeconds }) {
      const records = await context.store.update('timings', (current) => beat(current, { id, activeSeconds, now: context.now() }), {});
      const record = records[id];
      return { paused: Boolean(record?.paused), running: record?.state === 'running' };
    },

    async 'timing.end'({ record_id: id, active_s: activeSeconds, outcome }) {
      const settings = await context.settings();
      await context.store.update('timings', (current) => end(current, { id, activeSeconds, now: context.now(), outcome, reviewMs: settings.reviewMinutes * 60_000 }), {});
      await housekeeping(context);
      return { ok: true };
    },

    /** The worker clicked on the task page: a tab it opens now is the study's (study-tabs.js). */
    async 'timing.gesture'({ record_id: id }, sender) {
      await track(context, (records, now) => taskPageGesture(records, { id, tabId: sender.tab?.id ?? null, now }));
      return { ok: true };
    },

    async 'timing.hint'({ platform, outcome }, sender) {
      const settings = await context.settings();
      await context.store.update('timings', (current) => hint(current, { platform, tabId: sender.tab?.id ?? null, outcome, now: context.now(), reviewMs: settings.reviewMinutes * 60_000 }), {});
      await housekeeping(context);
      return { ok: true };
    },
  };
}
