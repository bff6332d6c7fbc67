// A page for the MAIN-world observer: jsdom with capture.js evaluated inside it, the way a
// browser runs a "world": "MAIN" content script, plus a page-side fetch and XMLHttpRequest
// that answer from fixtures (tests never reach the network).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { ROOT } from '../adapters/support.mjs';

const CAPTURE = readFileSync(path.join(ROOT, 'extension', 'content', 'main-world', 'capture.js'), 'utf8');

/**
 * `responses` maps a URL to {status, body}. Returns the window and `messages`, a list of the
 * message events the window received (data, source, origin), plus `next()` resolving with the
 * next one.
 */
export function pageWithCapture(url, responses, { installTimes = 1 } = {}) {
  const { window } = new JSDOM('<!DOCTYPE html><p>page</p>', { url, runScripts: 'outside-only' });
  const answer = (target) => responses[target] ?? { status: 404, body: { detail: 'Not found.' } };

  window.fetch = async (input) => {
    const target = typeof input === 'string' || input instanceof window.URL ? String(input) : input.url;
    const { status, body } = answer(new URL(target, url).href);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };

  class PageXhr extends window.EventTarget {
    open(method, target) {
      this.target = new URL(target, url).href;
      this.responseType = '';
    }

    send() {
      queueMicrotask(() => {
        const { status, body } = answer(this.target);
        this.status = status;
        this.responseText = JSON.stringify(body);
        this.response = this.responseType === 'json' ? body : this.responseText;
        this.dispatchEvent(new window.Event('load'));
      });
    }
  }
  window.XMLHttpRequest = PageXhr;

  // jsdom's postMessage leaves event.source and event.origin empty; a browser sets them to the
  // posting window and its origin, and clones the data. Do what the browser does.
  window.postMessage = (data) => {
    const copy = structuredClone(data);
    setTimeout(() => window.dispatchEvent(new window.MessageEvent('message', { data: copy, origin: window.location.origin, source: window })), 0);
  };

  const messages = [];
  const waiting = [];
  window.addEventListener('message', (event) => {
    const message = { data: event.data, source: event.source, origin: event.origin };
    messages.push(message);
    waiting.shift()?.(message);
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));

  for (let i = 0; i < installTimes; i += 1) window.eval(CAPTURE);
  return { window, messages, next };
}
