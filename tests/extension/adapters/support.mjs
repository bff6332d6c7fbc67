// Shared by the adapter and detector tests: saved pages opened in jsdom at the URL they were
// served from, and the v1 JSON Schemas the service generates, compiled with ajv.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SITES = path.join(ROOT, 'tests', 'fixtures', 'sites');

export const readFixture = (...parts) => readFileSync(path.join(SITES, ...parts), 'utf8');
export const readJson = (...parts) => JSON.parse(readFixture(...parts));
export const fixtureFiles = (site) => readdirSync(path.join(SITES, site)).filter((name) => name !== 'README.md');

/** The fixture `file` of `site` as a jsdom document served at `url` (scripts never run). */
export function openPage(url, site, file) {
  return new JSDOM(readFixture(site, file), { url }).window.document;
}

export function openHtml(url, html) {
  return new JSDOM(html, { url }).window.document;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const schema = (name) => ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'shared_schema', 'json', `${name}.schema.json`), 'utf8')));
const validators = { Listing: schema('Listing'), AdapterHealth: schema('AdapterHealth') };

/** Fails the test with ajv's account of what is wrong when `value` is not a valid `name` payload. */
export function assertValid(name, value) {
  const validate = validators[name];
  assert.ok(validate(value), `${name} invalid: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
}

/** The listings of [{listing}] results, after checking each against Listing.schema.json. */
export function validListings(found) {
  for (const { listing } of found) assertValid('Listing', listing);
  return found.map(({ listing }) => listing);
}
