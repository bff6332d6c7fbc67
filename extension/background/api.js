// One call to the FairClick service. Never throws: a network failure is status 0, so the
// caller decides between retrying and parking with the same code path as HTTP answers.

export const REQUEST_TIMEOUT_MS = 20_000;

export async function callService(base, path, { method = 'POST', token, body, fetchImpl = fetch, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetchImpl(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { status: 0, body: null, error: { code: 'network', message: String(error?.message || error) } };
  }
  let parsed = null;
  try {
    const text = await response.text();
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const result = { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
  if (!response.ok) {
    const error = parsed?.error;
    result.error = {
      code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
      message: typeof error?.message === 'string' ? error.message : response.statusText || `HTTP ${response.status}`,
    };
  }
  return result;
}
