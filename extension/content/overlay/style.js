// The overlay's one stylesheet, shared by every badge's shadow root. `:host` rules are
// !important because the page's rules otherwise win over them on the host element.

const CSS = `
:host { all: initial !important; display: inline-block !important; position: relative !important; vertical-align: middle !important; margin: 0 0 0 6px !important; z-index: 2147483000 !important; }
/* Every badge is its own stacking context: the one in use must rise above its neighbours. */
:host(:hover), :host(:focus-within), :host([data-open]) { z-index: 2147483647 !important; }
.fc { font: 600 12px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; }
.badge { display: inline-flex; align-items: center; gap: 4px; padding: 2px 7px; border-radius: 10px; border: 1px solid transparent; cursor: help; font: inherit; white-space: nowrap; }
.badge:focus-visible { outline: 2px solid #1a4fd6; outline-offset: 2px; }
.icon { font-size: 11px; }
.word { font-weight: 500; text-transform: lowercase; }
[data-band="below"] .badge { background: #fde3e1; border-color: #b3261e; color: #8c1d18; }
[data-band="near"] .badge { background: #fff1c7; border-color: #a36a00; color: #6b4500; }
[data-band="above"] .badge { background: #dcf3de; border-color: #2e7d32; color: #1b5e20; }
[data-band="unknown"] .badge { background: #eceff1; border-color: #78909c; color: #37474f; }
.panel { display: none; position: absolute; left: 0; top: calc(100% + 4px); min-width: 240px; max-width: 340px; padding: 10px 12px; background: #fff; color: #1b1b1b; border: 1px solid #9e9e9e; border-radius: 8px; box-shadow: 0 4px 14px rgba(0,0,0,.18); font-weight: 400; white-space: normal; text-align: left; }
.fc:hover .panel, .fc:focus-within .panel, :host([data-open]) .panel { display: block; }
.title { font-weight: 600; margin: 0 0 6px; overflow-wrap: anywhere; }
.standing { margin: 0 0 6px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 6px; }
dt { color: #555; }
dd { margin: 0; }
ul { margin: 6px 0 0; padding: 0; list-style: none; }
li { margin: 3px 0; }
li[data-severity="danger"] { color: #8c1d18; font-weight: 600; }
.note { color: #555; font-size: 11px; margin: 6px 0 0; }
`;

let shared = null;

/** One constructed stylesheet for every badge (parsed once); a <style> where unsupported. */
export function applyStyle(root, document) {
  const view = document.defaultView;
  if (view && 'adoptedStyleSheets' in root && typeof view.CSSStyleSheet === 'function') {
    try {
      if (!shared || shared.view !== view) {
        const sheet = new view.CSSStyleSheet();
        sheet.replaceSync(CSS);
        shared = { view, sheet };
      }
      root.adoptedStyleSheets = [shared.sheet];
      return;
    } catch {
      // Firefox content scripts cannot adopt sheets across the Xray boundary (bug 1751346).
    }
  }
  const style = document.createElement('style');
  style.textContent = CSS;
  root.append(style);
}
