import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { assignmentHash, newSecret } from '../../../extension/background/hash.js';

test('the assignment hash is HMAC-SHA-256 of platform and id under the install secret', async () => {
  const secret = newSecret();
  assert.match(secret, /^[0-9a-f]{64}$/);
  const expected = createHmac('sha256', Buffer.from(secret, 'hex')).update('mturk\n3ASSIGNMENT').digest('hex');
  assert.equal(await assignmentHash(secret, 'mturk', '3ASSIGNMENT'), expected);
});

test('two installs hash the same id differently, so their digests cannot be linked', async () => {
  const [one, two] = [newSecret(), newSecret()];
  assert.notEqual(one, two);
  assert.notEqual(await assignmentHash(one, 'prolific', 'abc'), await assignmentHash(two, 'prolific', 'abc'));
  assert.notEqual(await assignmentHash(one, 'prolific', 'abc'), await assignmentHash(one, 'mturk', 'abc'));
});
