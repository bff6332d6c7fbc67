// Messages from the popup and the options page: what was recorded and synced, the
// worker's corrections, sync now, delete and export, settings, the generic detector.

import { callService } from '../api.js';
import { disableGeneric, enableGeneric, siteOf } from '../generic-sites.js';
import { housekeeping, showBadge } from '../housekeeping.js';
import { ensureInstall } from '../install.js';
import { defaultThreshold } from '../minimum-wage.js';
import { outcomeEntry, enqueue, withoutRecord } from '../outbox.js';
import { syncState } from '../sync.js';
import { activeSecondsAt } from '../foreground.js';
import { addLaterStatus, correct, setPaused } from '../timings.js';
import { track } from './tabs.js';
import { validateSettingsPatch } from '../../shared/settings.js';

export function pageHandlers(context) {
  const { store } = context;

  const notifyTab = async (record, message) => {
    if (!Number.isInteger(record?.tab_id)) return;
    await context.chrome.tabs.sendMessage(record.tab_id, message).catch(() => {});
  };

  const handlers = {
    async state() {
      const now = context.now();
      // A running record's time includes the segment its tabs are in front for right now.
      const records = Object.values(await store.get('timings', {}))
        .map((record) => (record.state === 'running' ? { ...record, active_s: activeSecondsAt(record, now) } : record))
        .sort((a, b) => b.started_at - a.started_at);
      const install = await store.get('install', null);
      const settings = await context.settings();
      return {
        records,
        sync: await syncState(store),
        registered: Boolean(install?.token && install.service === settings.serviceUrl.replace(/\/+$/, '')),
        settings,
        language: await context.language(),
      };
    },

    async 'timing.pause'({ id, paused }) {
      await track(context, (current, now) => setPaused(current, { id, paused, now }));
      const records = await store.get('timings', {});
      await notifyTab(records[id], { type: 'timing.paused', record_id: id, paused: Boolean(records[id]?.paused) });
      return { ok: true };
    },

    async 'timing.correct'({ id, outcome, active_s: activeSeconds }) {
      const settings = await context.settings();
      let error = null;
      const before = (await store.get('timings', {}))[id];
      const records = await store.update('timings', (current) => {
        const result = correct(current, { id, outcome, activeSeconds, now: context.now(), reviewMs: settings.reviewMinutes * 60_000 });
        error = result.error;
        return result.records;
      }, {});
      if (error) return { error: { code: error } };
      // A parked record was refused as it was: its old entry goes, the corrected one is queued on review.
      await store.update('outbox', (outbox) => withoutRecord(outbox, id, 'timing'), []);
      if (before?.state === 'running') await notifyTab(records[id], { type: 'timing.ended', record_id: id });
      await housekeeping(context);
      return { ok: true };
    },

    async 'timing.discard'({ id }) {
      const before = (await store.get('timings', {}))[id];
      if (!before || !['running', 'ended', 'parked'].includes(before.state)) return { error: { code: 'error_not_editable' } };
      await store.update('timings', (current) => {
        const { [id]: dropped, ...rest } = current;
        return rest;
      }, {});
      await store.update('outbox', (outbox) => withoutRecord(outbox, id), []);
      if (before.state === 'running') await notifyTab(before, { type: 'timing.ended', record_id: id });
      await showBadge(context);
      return { ok: true };
    },

    async 'timing.later'({ id, status }) {
      let added = null;
      const records = await store.update('timings', (current) => {
        const result = addLaterStatus(current, { id, status, now: context.now() });
        added = result.added;
        return result.records;
      }, {});
      if (!added) return { error: { code: 'error_not_editable' } };
      await store.update('outbox', (outbox) => enqueue(outbox, [outcomeEntry(records[id], added, context.now())]), []);
      await housekeeping(context);
      return { ok: true };
    },

    async 'sync.now'() {
      const result = await housekeeping(context, { force: true });
      return { ...result, sync: await syncState(store) };
    },

    /** Local deletion; a record already synced stays, anonymous, in the service's figures. */
    async 'records.delete'({ ids, all }) {
      const records = await store.get('timings', {});
      const doomed = all ? Object.values(records).filter((record) => record.state !== 'running').map((record) => record.id) : (ids || []);
      await store.update('timings', (current) => Object.fromEntries(Object.entries(current).filter(([id]) => !doomed.includes(id))), {});
      await store.update('outbox', (outbox) => outbox.filter((entry) => !doomed.includes(entry.record_id)), []);
      await showBadge(context);
      return { deleted: doomed.length };
    },

    async 'records.export'() {
      return {
        exported_at: new Date(context.now()).toISOString(),
        extension_version: context.version,
        records: Object.values(await store.get('timings', {})),
        outbox: await store.get('outbox', []),
        sync: await store.get('sync', {}),
      };
    },

    async 'settings.update'({ patch }) {
      const problem = validateSettingsPatch(patch || {});
      if (problem) return { error: { code: problem } };
      const settings = await context.updateSettings((current) => ({ ...current, ...patch }));
      return { settings };
    },

    async 'minimum-wages'() {
      const deps = await context.deps();
      const install = await ensureInstall(deps);
      const answer = await callService(deps.base, '/v1/minimum-wages', { method: 'GET', token: install.token, fetchImpl: deps.fetchImpl });
      if (answer.status !== 200 || !Array.isArray(answer.body?.minimum_wages)) {
        return { error: answer.error ?? { code: 'bad_answer', message: '' } };
      }
      return { minimum_wages: answer.body.minimum_wages };
    },

    /** Threshold back to the legal minimum wage of the browser's locale. */
    /** `onlyIfUnset`: the first run's default must never replace a threshold the worker chose meanwhile. */
    async 'threshold.default'({ onlyIfUnset = false } = {}) {
      const table = await handlers['minimum-wages']();
      if (table.error) return table;
      const locales = [context.chrome.i18n.getUILanguage(), ...(globalThis.navigator?.languages || [])];
      const threshold = defaultThreshold(table.minimum_wages, locales);
      if (!threshold) return { error: { code: 'error_no_minimum_wage' } };
      const settings = await context.updateSettings((current) => (onlyIfUnset && current.threshold ? current : { ...current, threshold }));
      return { settings };
    },

    async 'generic.enable'({ url, tabId }) {
      const site = url && siteOf(url);
      if (!site) return { error: { code: 'error_site' } };
      return enableGeneric(context, site, tabId);
    },

    async 'generic.disable'({ url }) {
      const site = url && siteOf(url);
      if (!site) return { error: { code: 'error_site' } };
      return disableGeneric(context, site);
    },
  };
  return handlers;
}
