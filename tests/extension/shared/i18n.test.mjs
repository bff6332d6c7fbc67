import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickLanguage, translate } from '../../../extension/shared/i18n.js';
import { page, t } from '../support/dom.mjs';
import { localizePage } from '../../../extension/shared/i18n.js';

test('the worker\'s choice wins over the browser\'s language; unknown languages fall back to English', () => {
  assert.equal(pickLanguage('fr', 'en-US'), 'fr');
  assert.equal(pickLanguage('auto', 'fr-CA'), 'fr');
  assert.equal(pickLanguage('auto', 'de-DE'), 'en');
  assert.equal(pickLanguage('auto', undefined), 'en');
});

test('named placeholders are filled like chrome.i18n fills them; a missing key shows itself', () => {
  const messages = {
    greeting: { message: 'Hello $NAME$, $$5 off', placeholders: { name: { content: '$1' } } },
    brand: { message: 'Made by $WHO$', placeholders: { who: { content: 'FairClick' } } },
  };
  assert.equal(translate(messages, 'greeting', { name: 'Ana' }), 'Hello Ana, $5 off');
  assert.equal(translate(messages, 'greeting', {}), 'Hello , $5 off');
  assert.equal(translate(messages, 'brand'), 'Made by FairClick');
  assert.equal(translate(messages, 'missing_key'), 'missing_key');
});

test('pages are translated from data-i18n attributes, as text', () => {
  const window = page('<h1 data-i18n="options_title">x</h1><button data-i18n-title="action_export" data-i18n="action_export"></button>');
  localizePage(window.document, t('fr'));
  assert.equal(window.document.querySelector('h1').textContent, 'Options de FairClick');
  assert.equal(window.document.querySelector('button').title, 'Exporter en JSON');
});
