// Every user-visible string exists in English and French, with the same placeholders; every
// key the code and pages use exists; every warning code the service can send is worded.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const load = (language) => JSON.parse(readFileSync(join(ROOT, '_locales', language, 'messages.json'), 'utf8'));
const en = load('en');
const fr = load('fr');

function files(dir, suffixes) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, suffixes);
    return suffixes.some((suffix) => name.endsWith(suffix)) ? [path] : [];
  });
}

test('English and French have the same keys and placeholders, and no empty message', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const [key, entry] of Object.entries(en)) {
    const names = (message) => [...message.matchAll(/\$([A-Z0-9_]+)\$/g)].map((match) => match[1].toLowerCase()).sort();
    assert.deepEqual(names(fr[key].message), names(entry.message), key);
    for (const name of names(entry.message)) assert.ok(entry.placeholders?.[name], `${key}: placeholder ${name} undeclared`);
    assert.ok(entry.message.trim() && fr[key].message.trim(), key);
  }
});

test('French is really translated, not copied', () => {
  const same = Object.keys(en).filter((key) => en[key].message === fr[key].message && /[a-z]{4,}/i.test(en[key].message.replace(/\$[A-Z_]+\$/g, '')));
  assert.deepEqual(same.filter((key) => !['extension_name', 'options_service', 'popup_options', 'action_pause', 'options_platforms'].includes(key)), []);
});

test('every key the extension uses exists', () => {
  const used = new Set();
  for (const path of files(join(ROOT, 'extension'), ['.js', '.html'])) {
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(/\bt\(\s*'([a-z0-9_]+)'/g)) used.add(match[1]);
    for (const match of source.matchAll(/data-i18n(?:-[a-z-]+)?="([a-z0-9_]+)"/g)) used.add(match[1]);
    for (const match of source.matchAll(/(?:text|label)\s*:?\s*t\('([a-z0-9_]+)'/g)) used.add(match[1]);
  }
  for (const match of readFileSync(join(ROOT, 'manifest.json'), 'utf8').matchAll(/__MSG_([a-z0-9_]+)__/g)) used.add(match[1]);
  // Keys built from a prefix and a value the contract or the settings define.
  const families = {
    band_: ['below', 'near', 'above', 'unknown'],
    badge_word_: ['below', 'near', 'above', 'unknown'],
    basis_: ['task', 'requester', 'platform', 'advertised', 'none'],
    outcome_: ['submitted', 'returned', 'screened_out', 'timed_out'],
    later_: ['approved', 'rejected', 'paid'],
    state_: ['running', 'paused', 'ended', 'needs_answer', 'queued', 'synced', 'parked'],
    scope_: ['task', 'requester'],
    flag_reason_: ['scam', 'phishing', 'personal_data', 'unpaid_screen_out', 'broken'],
    action_: ['pause', 'resume', 'end', 'save', 'discard', 'platform_on', 'platform_off', 'generic_on', 'generic_off', 'allow_site'],
    site_: ['platform_on', 'platform_off', 'generic_on', 'generic_off'],
  };
  for (const [prefix, values] of Object.entries(families)) values.forEach((value) => used.add(`${prefix}${value}`));
  const missing = [...used].filter((key) => !(key in en));
  assert.deepEqual(missing, []);
  // Error codes the worker answers with are shown through errorText(): each needs words.
  const codes = new Set();
  for (const path of files(join(ROOT, 'extension'), ['.js'])) {
    for (const match of readFileSync(path, 'utf8').matchAll(/'(error_[a-z_]+)'/g)) codes.add(match[1]);
  }
  assert.deepEqual([...codes].filter((code) => !(code in en)), []);
});

test('every warning code and flag reason of the contract has words in both languages', () => {
  const listing = readFileSync(join(ROOT, 'shared_schema', 'listing.py'), 'utf8');
  const codes = [...listing.match(/WarningCode = Literal\[([^\]]+)\]/)[1].matchAll(/"([a-z_]+)"/g)].map((match) => match[1]);
  assert.ok(codes.length >= 9);
  for (const code of codes) {
    assert.ok(`warning_${code}` in en && `warning_${code}` in fr, code);
  }
  const requester = readFileSync(join(ROOT, 'shared_schema', 'requester.py'), 'utf8');
  const reasons = [...requester.match(/FlagReason = Literal\[([^\]]+)\]/)[1].matchAll(/"([a-z_]+)"/g)].map((match) => match[1]);
  for (const reason of reasons) assert.ok(`flag_reason_${reason}` in fr, reason);
});
