// Every adapter file is registered, documented and tested on saved pages; everything any of
// them returns is a valid v1 Listing; none of them writes markup into the page.

import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ADAPTERS, adapterFor, readListingsSafely } from '../../../extension/content/adapters/registry.js';
import { ROOT, fixtureFiles, openPage, readFixture, readJson, validListings } from './support.mjs';

const ADAPTER_DIR = path.join(ROOT, 'extension', 'content', 'adapters');
const NOT_ADAPTERS = new Set(['registry.js', 'captured.js']);
const adapterFiles = readdirSync(ADAPTER_DIR).filter((name) => name.endsWith('.js') && !NOT_ADAPTERS.has(name));

test('every adapter file is in the registry, and every registered adapter has a file', async () => {
  const registered = new Set(ADAPTERS);
  for (const file of adapterFiles) {
    const module = await import(path.join(ADAPTER_DIR, file));
    assert.ok(registered.has(module.default), `${file} is not in ADAPTERS`);
  }
  assert.equal(adapterFiles.length, ADAPTERS.length);
});

for (const adapter of ADAPTERS) {
  test(`${adapter.id}: implements the adapter interface`, () => {
    assert.match(adapter.id, /^[a-z0-9][a-z0-9_.:-]*$/);
    assert.match(adapter.platform, /^[a-z0-9][a-z0-9_.:-]*$/);
    assert.match(adapter.version, /^\d+\.\d+\.\d+$/);
    assert.ok(Array.isArray(adapter.matches) && adapter.matches.length > 0);
    for (const name of ['isListPage', 'readListings', 'isTaskPage', 'readTask']) assert.equal(typeof adapter[name], 'function', name);
    assert.ok(Object.isFrozen(adapter));
  });

  test(`${adapter.id}: lists the real URLs it serves, and serves each of them`, () => {
    assert.ok(adapter.urls.length > 0);
    for (const url of adapter.urls) {
      assert.equal(adapterFor(url), adapter, url);
      const page = new URL(url);
      assert.ok(adapter.isListPage(page) || adapter.isTaskPage(page), `${url} is neither a list nor a task page`);
    }
  });

  test(`${adapter.id}: has fixtures that name their sources`, () => {
    const readme = readFixture(adapter.id, 'README.md');
    const files = fixtureFiles(adapter.id);
    assert.ok(files.some((file) => file.endsWith('.html')), 'at least one saved page');
    for (const file of files) assert.ok(readme.includes(`\`${file}\``), `${file} is not described in ${adapter.id}/README.md`);
    assert.match(readme, /source/i);
  });

  test(`${adapter.id}: every listing read from every fixture validates against Listing.schema.json`, () => {
    const files = fixtureFiles(adapter.id);
    const captured = files.filter((file) => file.endsWith('.json')).map((file) => readJson(adapter.id, file));
    let total = 0;
    for (const file of files.filter((name) => name.endsWith('.html'))) {
      for (const context of [{ captured: [] }, { captured }]) {
        const document = openPage(adapter.urls[0], adapter.id, file);
        const listings = validListings(readListingsSafely(adapter, document, context, ({ error }) => assert.fail(error)));
        for (const listing of listings) assert.equal(listing.platform, adapter.platform);
        total += listings.length;
      }
    }
    assert.ok(total > 0, 'the fixtures yield listings');
  });
}

test('the MAIN-world observer relays exactly the responses the adapters ask for', () => {
  const source = readFileSync(path.join(ROOT, 'extension', 'content', 'main-world', 'capture.js'), 'utf8');
  const block = /const CAPTURES = \[([\s\S]*?)\];/.exec(source)[1];
  const relayed = [...block.matchAll(/^\s*\/(.+)\/,?$/gm)].map((match) => match[1]).sort();
  const wanted = ADAPTERS.flatMap((adapter) => adapter.captures ?? []).map((pattern) => pattern.source).sort();
  assert.deepEqual(relayed, wanted);
});

test('no content-script code writes markup or evaluates strings', () => {
  const dirs = ['adapters', 'detect', 'main-world'].map((dir) => path.join(ROOT, 'extension', 'content', dir));
  const files = dirs.flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name))).filter((file) => file.endsWith('.js') && statSync(file).isFile());
  assert.ok(files.length > 10);
  for (const file of files) {
    const code = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(code, /\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|DOMParser/, file);
  }
});
