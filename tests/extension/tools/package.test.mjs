// `make package` builds a zip of manifest.json, _locales/ and extension/ only, and web-ext's
// linter (the one addons.mozilla.org runs) finds no error in it.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildPackage, lintExtension } from '../../../extension/tools/package.mjs';

const dist = await mkdtemp(join(tmpdir(), 'fairclick-dist-'));
after(() => rm(dist, { recursive: true, force: true }));

async function tree(dir, prefix = '') {
  const names = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) names.push(...await tree(join(dir, entry.name), `${path}/`));
    else names.push(path);
  }
  return names;
}

test('the package holds the extension and nothing else, and passes web-ext lint', async () => {
  const zip = await buildPackage(dist);
  assert.match(zip, /fairclick-\d+\.\d+\.\d+\.zip$/);
  const staged = await tree(join(dist, 'extension'));
  assert.ok(staged.includes('manifest.json') && staged.includes('_locales/fr/messages.json') && staged.includes('extension/background/worker.js'));
  assert.deepEqual(staged.filter((path) => !/^(manifest\.json|_locales\/|extension\/)/.test(path)), []);
  assert.deepEqual(staged.filter((path) => path.startsWith('extension/tools/')), []);

  const report = await lintExtension(join(dist, 'extension'));
  assert.deepEqual(report.errors.map((message) => `${message.code}: ${message.message}`), []);
  // The one expected warning: Firefox ignores the Chrome service worker key and uses background.scripts.
  assert.deepEqual(report.warnings.map((message) => message.code), ['BACKGROUND_SERVICE_WORKER_IGNORED']);
});
