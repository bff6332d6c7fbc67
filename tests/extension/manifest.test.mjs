// The manifest agrees with the adapter registry (one source of truth for site knowledge),
// exposes to pages exactly the modules the content script imports, and points at files
// that exist; Firefox gets what it needs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADAPTERS } from '../../extension/content/adapters/registry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const LOADER = 'extension/content/loader.js';
const CAPTURE = 'extension/content/main-world/capture.js';
const SERVICE_DEFAULTS = ['http://127.0.0.1/*', 'http://localhost/*'];
const sorted = (list) => [...list].sort();
const adapterMatches = sorted(new Set(ADAPTERS.flatMap((adapter) => adapter.matches)));

/** Every module reachable from `entry` by static imports (repository-relative paths). */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = readFileSync(join(ROOT, path), 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
      const target = relative(ROOT, resolve(join(ROOT, dirname(path)), match[1]));
      assert.ok(existsSync(join(ROOT, target)), `${path} imports missing ${target}`);
      visit(target);
    }
  };
  visit(entry);
  return [...seen];
}

const covered = (path, patterns) => patterns.some((pattern) => pattern.endsWith('/*.js') && dirname(path) === pattern.slice(0, -'/*.js'.length) && path.endsWith('.js'));

test('one content-script loader per adapter, on exactly the adapter\'s pages, and the MAIN-world relay where it captures', () => {
  const loaders = manifest.content_scripts.filter((script) => script.js.includes(LOADER));
  assert.deepEqual(loaders.map((script) => sorted(script.matches)), ADAPTERS.map((adapter) => sorted(adapter.matches)));
  assert.ok(loaders.every((script) => script.run_at === 'document_start' && !script.world));
  const relays = manifest.content_scripts.filter((script) => script.js.includes(CAPTURE));
  assert.deepEqual(relays.map((script) => sorted(script.matches)), ADAPTERS.filter((adapter) => adapter.captures?.length).map((adapter) => sorted(adapter.matches)));
  assert.ok(relays.every((script) => script.world === 'MAIN' && script.run_at === 'document_start'));
});

test('host permissions are the adapters\' pages and the loopback service, nothing wider; the rest is optional', () => {
  assert.deepEqual(sorted(manifest.host_permissions), sorted([...adapterMatches, ...SERVICE_DEFAULTS]));
  // "idle" shows the worker no permission warning; the study tabs are followed by tab ids, without "tabs".
  assert.deepEqual(sorted(manifest.permissions), ['activeTab', 'alarms', 'idle', 'scripting', 'storage']);
  assert.deepEqual(sorted(manifest.optional_host_permissions), ['http://*/*', 'https://*/*']);
});

test('pages can load exactly the content modules: on the platforms, and on sites the worker opens the detector on', () => {
  const [platforms, generic] = manifest.web_accessible_resources;
  assert.deepEqual(sorted(platforms.matches), adapterMatches);
  assert.deepEqual(sorted(generic.matches), ['http://*/*', 'https://*/*']);
  assert.deepEqual(generic.resources, platforms.resources);
  const graph = moduleGraph('extension/content/main.js');
  for (const module of graph) assert.ok(covered(module, platforms.resources), `${module} is not web accessible`);
  // Nothing else: the worker's and the pages' modules stay private.
  for (const pattern of platforms.resources) {
    const dir = pattern.slice(0, -'/*.js'.length);
    assert.ok(readdirSync(join(ROOT, dir)).some((name) => graph.includes(`${dir}/${name}`)), `${pattern} exposes no module the content script needs`);
    assert.ok(dir.startsWith('extension/content') || dir === 'extension/shared', pattern);
  }
});

test('the worker, popup and options module graphs resolve to files that exist', () => {
  assert.equal(manifest.background.service_worker, 'extension/background/worker.js');
  assert.deepEqual(manifest.background.scripts, [manifest.background.service_worker], 'Firefox runs the same module as an event page');
  assert.equal(manifest.background.type, 'module');
  moduleGraph(manifest.background.service_worker);
  moduleGraph('extension/popup/popup.js');
  moduleGraph('extension/options/options.js');
  for (const page of [manifest.action.default_popup, manifest.options_ui.page]) {
    const html = readFileSync(join(ROOT, page), 'utf8');
    for (const match of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(existsSync(join(ROOT, dirname(page), match[1])), `${page}: ${match[1]}`);
  }
  for (const path of [...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon), LOADER, CAPTURE]) {
    assert.ok(existsSync(join(ROOT, path)), path);
  }
});

test('Firefox: an id, a minimum version with MAIN-world scripts and the data-collection declaration', () => {
  const gecko = manifest.browser_specific_settings.gecko;
  assert.match(gecko.id, /^[a-z0-9.-]+@[a-z0-9.-]+$/);
  assert.ok(Number.parseFloat(gecko.strict_min_version) >= 128);
  assert.ok(gecko.data_collection_permissions.required.length > 0);
  assert.equal(manifest.default_locale, 'en');
  assert.equal(manifest.manifest_version, 3);
});

test('nothing at the repository root starts with "_" except _locales (Chrome refuses to load such a folder)', () => {
  assert.deepEqual(readdirSync(ROOT).filter((name) => name.startsWith('_')), ['_locales']);
});
