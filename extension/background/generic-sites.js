// The generic detector runs only on sites the worker turned it on for from the popup. The
// popup asks for the host permission (it needs the click); the worker then registers the
// content script for that site, remembered across restarts, and injects it into the tab
// already open.

import { originPattern } from '../shared/settings.js';

export const LOADER = 'extension/content/loader.js';

/** https://tasks.example.org:8443/list -> "https://tasks.example.org" (patterns ignore ports). */
export function siteOf(url) {
  const { protocol, hostname } = new URL(url);
  if (!['http:', 'https:'].includes(protocol)) return null;
  return `${protocol}//${hostname}`;
}

export const scriptId = (site) => `generic-${site.replace(/[^a-z0-9.-]+/gi, '-')}`;

export async function enableGeneric({ chrome, updateSettings }, site, tabId) {
  const pattern = originPattern(site);
  if (!(await chrome.permissions.contains({ origins: [pattern] }))) return { error: 'error_permission' };
  const id = scriptId(site);
  const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [id] });
  if (!registered.length) {
    await chrome.scripting.registerContentScripts([{ id, matches: [pattern], js: [LOADER], runAt: 'document_idle', persistAcrossSessions: true }]);
  }
  await updateSettings((settings) => ({ ...settings, genericSites: [...new Set([...settings.genericSites, site])] }));
  if (Number.isInteger(tabId)) {
    await chrome.scripting.executeScript({ target: { tabId }, files: [LOADER] }).catch(() => {});
  }
  return { ok: true };
}

export async function disableGeneric({ chrome, updateSettings }, site) {
  const id = scriptId(site);
  const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [id] });
  if (registered.length) await chrome.scripting.unregisterContentScripts({ ids: [id] });
  await updateSettings((settings) => ({ ...settings, genericSites: settings.genericSites.filter((known) => known !== site) }));
  // The permission is only ours to hold while the detector runs there.
  await chrome.permissions.remove({ origins: [originPattern(site)] }).catch(() => false);
  return { ok: true };
}

/** After a restart or update: registered scripts = remembered sites that still have permission. */
export async function reconcileGeneric({ chrome, updateSettings, settings }) {
  const registered = await chrome.scripting.getRegisteredContentScripts();
  const wanted = new Map();
  for (const site of settings.genericSites) {
    if (await chrome.permissions.contains({ origins: [originPattern(site)] })) wanted.set(scriptId(site), site);
  }
  const stale = registered.filter((script) => script.id.startsWith('generic-') && !wanted.has(script.id)).map((script) => script.id);
  if (stale.length) await chrome.scripting.unregisterContentScripts({ ids: stale });
  const have = new Set(registered.map((script) => script.id));
  const missing = [...wanted].filter(([id]) => !have.has(id));
  if (missing.length) {
    await chrome.scripting.registerContentScripts(missing.map(([id, site]) => ({ id, matches: [originPattern(site)], js: [LOADER], runAt: 'document_idle', persistAcrossSessions: true })));
  }
  const kept = [...wanted.values()];
  if (kept.length !== settings.genericSites.length) await updateSettings((current) => ({ ...current, genericSites: kept }));
}
