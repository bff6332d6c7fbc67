// Content scripts cannot be ES modules: this classic script imports the module entry
// (listed in web_accessible_resources for the same sites). It may be injected twice on a
// generic-detector site (registered script + injection into the open tab): once is enough.
(() => {
  const loaded = Symbol.for('fairclick.loaded');
  if (globalThis[loaded]) return;
  globalThis[loaded] = true;
  import(chrome.runtime.getURL('extension/content/main.js')).catch((error) => {
    console.warn('FairClick: could not start on this page', error);
  });
})();
