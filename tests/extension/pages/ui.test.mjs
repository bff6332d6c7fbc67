// The popup's sync status and errors, in plain words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorText, syncStatusText } from '../../../extension/pages/ui.js';
import { t } from '../support/dom.mjs';

const at = Date.UTC(2026, 10, 20, 9, 30);
const en = t('en');
const fr = t('fr');

test('never synced, synced, and each kind of failure is told in plain words', () => {
  assert.equal(syncStatusText({ pending: 0, parked: 0, status: {} }, en, 'en'), 'Nothing sent yet.');
  assert.match(syncStatusText({ pending: 0, parked: 0, status: { last_attempt_at: at, last_success_at: at, last_error: null } }, en, 'en'), /^Last sent at /);
  const failing = (status, extra = {}) => syncStatusText({ pending: 2, parked: 0, next_at: at + 60_000, status: { last_attempt_at: at, service: 'http://127.0.0.1:8080', last_error: { status, code: 'x', message: 'ended_at is in the future', at }, ...extra } }, en, 'en');
  assert.match(failing(0), /could not be reached .* 2 waiting to be sent\. Next try around/);
  assert.match(failing(0), /http:\/\/127\.0\.0\.1:8080/);
  assert.match(failing(503), /unavailable \(error 503\)/);
  assert.match(failing(429), /too busy/);
  assert.match(failing(401), /did not recognise this browser/);
  assert.match(failing(422), /refused a record \(error 422\): ended_at is in the future/);
  assert.match(syncStatusText({ pending: 0, parked: 1, status: { last_attempt_at: at, last_error: null } }, fr, 'fr'), /1 refusé\(s\) : corrigez-les ou abandonnez-les\./);
});

test('the worker\'s error codes are shown translated, unknown ones as an internal error', () => {
  assert.equal(errorText({ code: 'error_outcome' }, fr), 'Choisissez comment la tâche s\'est terminée.');
  assert.equal(errorText({ code: 'internal', message: 'boom' }, en), 'Something went wrong inside FairClick: boom');
});
