// The toolbar popup: this site (adapter on/off, generic detector on/off), the timings that
// wait for the worker (running, ended, refused), the sync status, the latest sent records.

import { adapterFor } from '../content/adapters/registry.js';
import { originPattern } from '../shared/settings.js';
import { recordCard } from '../pages/records.js';
import { element, errorText, localize, send, syncStatusText } from '../pages/ui.js';

const RECENT = 5;

async function currentTab() {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab ?? null;
}

async function siteSection(document, tab, state, { t, refresh }) {
  const status = document.getElementById('site-status');
  const actions = document.getElementById('site-actions');
  actions.replaceChildren();
  let url = null;
  try { url = tab?.url ? new URL(tab.url) : null; } catch { url = null; }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    status.textContent = t('site_not_a_web_page');
    return;
  }
  const adapter = adapterFor(url);
  const button = (label, action) => {
    const node = element(document, 'button', { text: t(label), attrs: { type: 'button' } });
    node.addEventListener('click', action);
    actions.append(node);
  };
  if (adapter) {
    // Firefox lets the worker withdraw a listed site's access: offer to give it back.
    const allowed = await chrome.permissions.contains({ origins: adapter.matches });
    if (!allowed) {
      status.textContent = t('site_platform_needs_permission', { platform: adapter.platform });
      button('action_allow_site', async () => {
        if (await chrome.permissions.request({ origins: adapter.matches })) await chrome.tabs.reload(tab.id);
        refresh();
      });
      return;
    }
    const on = state.settings.platforms[adapter.platform] !== false;
    status.textContent = t(on ? 'site_platform_on' : 'site_platform_off', { platform: adapter.platform });
    button(on ? 'action_platform_off' : 'action_platform_on', async () => {
      await send('settings.update', { patch: { platforms: { ...state.settings.platforms, [adapter.platform]: !on } } });
      refresh();
    });
    return;
  }
  const site = `${url.protocol}//${url.hostname}`;
  const on = state.settings.genericSites.includes(site);
  status.textContent = t(on ? 'site_generic_on' : 'site_generic_off', { site: url.hostname });
  button(on ? 'action_generic_off' : 'action_generic_on', async () => {
    if (on) {
      await send('generic.disable', { url: tab.url });
    } else {
      // Asked here, in the click: the browser shows its prompt only for a user's gesture.
      const granted = await chrome.permissions.request({ origins: [originPattern(tab.url)] });
      if (!granted) {
        status.textContent = t('error_permission');
        return;
      }
      const reply = await send('generic.enable', { url: tab.url, tabId: tab.id });
      if (reply.error) {
        status.textContent = errorText(reply.error, t);
        return;
      }
    }
    refresh();
  });
}

async function render(document, tab) {
  const state = await send('state');
  const { t, language } = await localize(document, state.settings);
  const refresh = () => render(document, tab);
  await siteSection(document, tab, state, { t, refresh });

  const waiting = state.records.filter((record) => ['running', 'ended', 'parked'].includes(record.state));
  document.getElementById('now-empty').hidden = waiting.length > 0;
  document.getElementById('now-records').replaceChildren(...waiting.map((record) => recordCard(document, record, { t, language, onChange: refresh })));

  const sent = state.records.filter((record) => ['queued', 'synced'].includes(record.state)).slice(0, RECENT);
  document.getElementById('recent-empty').hidden = sent.length > 0;
  document.getElementById('recent-records').replaceChildren(...sent.map((record) => recordCard(document, record, { t, language, onChange: refresh })));

  document.getElementById('sync-status').textContent = syncStatusText(state.sync, t, language);
}

document.getElementById('open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());
document.getElementById('sync-now').addEventListener('click', async () => {
  const button = document.getElementById('sync-now');
  button.disabled = true;
  await send('sync.now');
  button.disabled = false;
  await render(document, await currentTab());
});
currentTab().then((tab) => render(document, tab));
