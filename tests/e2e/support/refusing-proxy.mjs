// A loopback HTTP proxy in front of the real service that misbehaves on purpose for the
// first requests to some paths: 'refuse' answers 503 without forwarding; 'lose' forwards
// (the service stores the batch) but answers 503, as when an acknowledgement is lost on
// the way back. Later requests pass through untouched.
import { createServer } from 'node:http';

export async function startRefusingProxy(target, plan) {
  const remaining = Object.fromEntries(Object.entries(plan).map(([path, steps]) => [path, [...steps]]));
  const seen = [];
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const path = new URL(request.url, 'http://proxy').pathname;
    const step = remaining[path]?.shift() ?? 'pass';
    seen.push({ method: request.method, path, step, body: body.length ? body.toString('utf8') : null });
    const refuse = () => {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', 'access-control-allow-origin': '*' });
      response.end(JSON.stringify({ error: { code: 'unavailable', message: 'refused by the test proxy' } }));
    };
    if (step === 'refuse') return refuse();
    const headers = { ...request.headers };
    delete headers.host;
    delete headers['content-length'];
    const answer = await fetch(`${target}${request.url}`, { method: request.method, headers, body: body.length ? body : undefined });
    if (step === 'lose') return refuse();
    const forwarded = Object.fromEntries([...answer.headers].filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)));
    response.writeHead(answer.status, forwarded);
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
