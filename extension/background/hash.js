// Submission and assignment ids leave the browser only as HMAC-SHA-256 digests keyed with
// a secret made at install: the service can tell a retried record from a new one without
// ever learning the id, and two installs' digests of the same id cannot be linked.

const toHex = (bytes) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

export function newSecret(cryptoImpl = globalThis.crypto) {
  return toHex(cryptoImpl.getRandomValues(new Uint8Array(32)));
}

function fromHex(hex) {
  return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
}

/** Hex digest of `platform` + id under the install's secret (64 lower-case hex digits). */
export async function assignmentHash(secretHex, platform, assignmentId, cryptoImpl = globalThis.crypto) {
  const key = await cryptoImpl.subtle.importKey('raw', fromHex(secretHex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = await cryptoImpl.subtle.sign('HMAC', key, new TextEncoder().encode(`${platform}\n${assignmentId}`));
  return toHex(signature);
}
