// (d) The generic detector annotates a listing page no adapter knows, once the worker has
// turned it on for that site: the choice is remembered (a registered content script), so a
// later visit is annotated without asking again.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { eventually, launchWithExtension, serve } from './support/browser.mjs';
import { ROOT, startService } from './support/service.mjs';

// A French paid-survey list (4 studies priced in euros, one in points), written for the
// detector's own tests. Loopback is one of the extension's install-time host permissions, so
// the browser asks no question a headless test could not answer.
const PAGE = await readFile(`${ROOT}/tests/fixtures/sites/generic/fr-list.html`, 'utf8');
const SITE = 'http://127.0.0.1:9/etudes';

let service;
let browser;

before(async () => {
  service = await startService();
  browser = await launchWithExtension();
  await browser.configure({ serviceUrl: service.url, language: 'fr', threshold: { amount: '12.02', currency: 'EUR', origin: 'worker' } });
  await serve(browser.context, `${SITE}**`, PAGE);
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

const badgeTexts = (page) => page.evaluate(() => [...document.querySelectorAll('fairclick-badge')].map((host) => host.shadowRoot.querySelector('.badge').textContent));

test('the detector stays off until the worker turns it on for the site, then annotates every priced listing', async () => {
  const page = await browser.context.newPage();
  await page.goto(SITE);
  // Nothing runs on a site the worker did not choose: no content script is registered for it.
  assert.deepEqual(await browser.worker.evaluate(() => chrome.scripting.getRegisteredContentScripts()), []);
  assert.equal(await page.locator('fairclick-badge').count(), 0);

  // What the popup's button sends once the browser granted the site.
  const popup = await browser.context.newPage();
  await popup.goto(browser.pageUrl('extension/popup/popup.html'));
  const tabId = await browser.worker.evaluate(async (url) => (await chrome.tabs.query({ url: `${url}*` }))[0].id, SITE);
  assert.deepEqual(await popup.evaluate(([url, tab]) => chrome.runtime.sendMessage({ type: 'generic.enable', url, tabId: tab }), [SITE, tabId]), { ok: true });

  // Injected into the open tab at once...
  const texts = await eventually(async () => {
    const found = await badgeTexts(page);
    return found.length === 4 ? found : null;
  }, { what: 'four badges on the open tab' });
  assert.ok(texts.every((text) => /€\/h/.test(text)), texts.join(' | '));
  await page.screenshot({ path: `${ROOT}/test-results/extension-generic-fr.png`, fullPage: true });

  // ...and remembered: a new visit is annotated by the registered content script.
  const later = await browser.context.newPage();
  await later.goto(SITE);
  await eventually(async () => (await badgeTexts(later)).length === 4, { what: 'badges on a later visit' });
  const settings = await browser.storage('settings');
  assert.deepEqual(settings.genericSites, ['http://127.0.0.1']);

  // The panel speaks the worker's language (French here), opened from the keyboard.
  await later.evaluate(() => document.querySelector('fairclick-badge').shadowRoot.querySelector('.badge').focus());
  const panel = await later.evaluate(() => document.querySelector('fairclick-badge').shadowRoot.querySelector('.panel').textContent);
  assert.match(panel, /Calculé d'après/);
});
