// Runs in the page's MAIN world (a classic script, declared with "world": "MAIN" and
// "run_at": "document_start"), because only there can it see the JSON the page itself fetches.
// It watches fetch and XMLHttpRequest, and for the few API responses adapters read, forwards a
// copy of the parsed body to the isolated content script with window.postMessage. It sends
// nothing anywhere else, never changes a request or a response, and never throws into the page.
// The receiving side (receive.js) validates every envelope: the page can post messages too.
(() => {
  'use strict';

  // Keep in step with the adapters' `captures` (a test checks they are the same).
  const CAPTURES = [
    /^https:\/\/internal-api\.prolific\.com\/api\/v1\/participant\/studies\//,
    /^https:\/\/internal-api\.prolific\.com\/api\/v1\/submissions\/reserve\/?(?:[?#]|$)/,
    /^https:\/\/worker\.mturk\.com\/[^#]*[?&]format=json(?:[&#]|$)/,
  ];
  const TYPE = 'fairclick:capture';
  const REPLAY = 'fairclick:replay';
  const VERSION = 1;
  const MAX_CHARS = 4_000_000;
  const KEEP = 20;
  const INSTALLED = Symbol.for('fairclick.capture');

  if (window[INSTALLED]) return;
  Object.defineProperty(window, INSTALLED, { value: true });

  const absolute = (url) => {
    try {
      return new URL(String(url), window.location.href).href;
    } catch {
      return '';
    }
  };
  const wanted = (url) => CAPTURES.some((pattern) => pattern.test(url));
  const target = () => (window.location.origin && window.location.origin !== 'null' ? window.location.origin : '*');

  // The content script may start listening after the page's first requests (it loads its
  // modules asynchronously), so the latest envelopes are kept and posted again on request.
  const recent = [];
  let seq = 0;
  function post(url, status, body) {
    const envelope = { type: TYPE, version: VERSION, seq: ++seq, url, status, body };
    recent.push(envelope);
    if (recent.length > KEEP) recent.shift();
    window.postMessage(envelope, target());
  }
  window.addEventListener('message', (event) => {
    if (event.source !== window || !event.data || event.data.type !== REPLAY || event.data.version !== VERSION) return;
    for (const envelope of recent) window.postMessage(envelope, target());
  });

  function relay(url, status, text) {
    if (typeof text !== 'string' || text.length > MAX_CHARS) return;
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return;
    }
    if (body === null || typeof body !== 'object') return;
    post(url, status, body);
  }

  const originalFetch = window.fetch;
  if (typeof originalFetch === 'function') {
    window.fetch = function fetch(input, init) {
      const result = originalFetch.apply(this, arguments);
      try {
        const url = absolute(input && typeof input === 'object' && 'url' in input ? input.url : input);
        if (wanted(url)) {
          result
            .then((response) => (response.ok ? response.clone().text().then((text) => relay(url, response.status, text)) : null))
            .catch(() => {});
        }
      } catch {
        // observing must never break the page's own request
      }
      return result;
    };
  }

  const XHR = window.XMLHttpRequest;
  if (XHR && XHR.prototype) {
    const urls = new WeakMap();
    const open = XHR.prototype.open;
    const send = XHR.prototype.send;
    XHR.prototype.open = function (method, url) {
      try {
        urls.set(this, absolute(url));
      } catch {
        // ignore
      }
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      try {
        const url = urls.get(this);
        if (url && wanted(url)) {
          this.addEventListener('load', () => {
            try {
              if (this.status < 200 || this.status > 299) return;
              if (this.responseType === '' || this.responseType === 'text') relay(url, this.status, this.responseText);
              else if (this.responseType === 'json' && this.response && typeof this.response === 'object') {
                post(url, this.status, this.response);
              }
            } catch {
              // ignore
            }
          });
        }
      } catch {
        // ignore
      }
      return send.apply(this, arguments);
    };
  }
})();
