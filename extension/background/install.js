// The anonymous registration with the service (POST /v1/installs) and the per-install
// secret that keys assignment hashes. The token belongs to one service URL: pointing the
// extension at another service registers again there.

import { callService } from './api.js';
import { newSecret } from './hash.js';
import { installRequest } from './payloads.js';

export async function ensureSecret(store) {
  const existing = await store.get('secret', null);
  if (existing) return existing;
  const secret = newSecret();
  // Two wake-ups racing here must end with one secret: the update keeps the first written.
  const stored = await store.update('secret', (current) => current || secret, null);
  return stored;
}

const pending = new Map();

/** {token} for `base`, registering first when needed; {error} (an answer) when that failed. */
export function ensureInstall({ store, base, version, fetchImpl, now }) {
  if (!pending.has(base)) {
    const attempt = (async () => {
      const install = await store.get('install', null);
      if (install?.token && install.service === base) return { token: install.token };
      const answer = await callService(base, '/v1/installs', { body: installRequest(version), fetchImpl });
      if (answer.status !== 201 || typeof answer.body?.token !== 'string') return { error: answer };
      await store.set('install', { install_id: answer.body.install_id, token: answer.body.token, service: base, registered_at: now() });
      return { token: answer.body.token };
    })().finally(() => pending.delete(base));
    pending.set(base, attempt);
  }
  return pending.get(base);
}

/** The service no longer knows our token (401): forget it so the next call registers again. */
export async function forgetInstall(store, token) {
  await store.update('install', (install) => (install?.token === token ? null : install), null);
}
