// A jsdom window and the extension's translators, for content-side tests.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { parseMessages, translator } from '../../../extension/shared/i18n.js';

export function page(html = '<!doctype html><html><body></body></html>', url = 'https://app.prolific.com/studies') {
  return new JSDOM(html, { url, pretendToBeVisual: true }).window;
}

export function catalogue(language) {
  return parseMessages(JSON.parse(readFileSync(new URL(`../../../_locales/${language}/messages.json`, import.meta.url), 'utf8')));
}

export const t = (language) => translator(catalogue(language));
