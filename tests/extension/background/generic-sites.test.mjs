import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext } from '../../../extension/background/context.js';
import { disableGeneric, enableGeneric, reconcileGeneric, siteOf } from '../../../extension/background/generic-sites.js';
import { fakeChrome } from '../support/fake-chrome.mjs';

test('a site is the scheme and host, without port or path (match patterns ignore ports)', () => {
  assert.equal(siteOf('https://tasks.example.org:8443/list?page=2'), 'https://tasks.example.org');
  assert.equal(siteOf('chrome://settings'), null);
});

test('turning the detector on needs the site\'s permission, registers the script once and injects it into the tab', async () => {
  const chrome = fakeChrome();
  const context = createContext(chrome);
  assert.deepEqual(await enableGeneric(context, 'https://tasks.example.org', 5), { error: 'error_permission' });
  chrome.permissions.granted.add('https://tasks.example.org/*');
  assert.deepEqual(await enableGeneric(context, 'https://tasks.example.org', 5), { ok: true });
  assert.deepEqual(await enableGeneric(context, 'https://tasks.example.org', 5), { ok: true });
  assert.deepEqual([...chrome.scripting.registered.values()].map((script) => [script.matches, script.js, script.persistAcrossSessions]), [[['https://tasks.example.org/*'], ['extension/content/loader.js'], true]]);
  assert.deepEqual(chrome.scripting.injected.map((details) => details.target.tabId), [5, 5]);
  assert.deepEqual((await context.settings()).genericSites, ['https://tasks.example.org']);

  await disableGeneric(context, 'https://tasks.example.org');
  assert.equal(chrome.scripting.registered.size, 0);
  assert.equal(chrome.permissions.granted.size, 0);
  assert.deepEqual((await context.settings()).genericSites, []);
});

test('after a restart, remembered sites with permission are registered again; revoked ones are forgotten', async () => {
  const chrome = fakeChrome({ granted: ['https://kept.example/*'] });
  const context = createContext(chrome);
  await context.updateSettings((settings) => ({ ...settings, genericSites: ['https://kept.example', 'https://revoked.example'] }));
  await reconcileGeneric({ ...context, settings: await context.settings() });
  assert.deepEqual([...chrome.scripting.registered.keys()], ['generic-https-kept.example']);
  assert.deepEqual((await context.settings()).genericSites, ['https://kept.example']);
});
