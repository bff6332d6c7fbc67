// Starts the real FairClick service (python -m server) on a free loopback port with a
// temporary SQLite file, for the browser tests. Stops it with `await service.stop()`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PYTHON = join(ROOT, '.venv', 'bin', 'python');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

export async function startService({ env = {} } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'fairclick-e2e-'));
  const port = await freePort();
  const db = join(dir, 'fairclick.sqlite3');
  const child = spawn(PYTHON, ['-m', 'server', '--host', '127.0.0.1', '--port', String(port), '--db', db], {
    cwd: ROOT,
    env: { ...process.env, FAIRCLICK_RATE_LIMIT_PER_MIN: '0', FAIRCLICK_ACCESS_LOG: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (attempt > 300) throw new Error(`service did not start: ${stderr}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    url,
    db,
    dir,
    stderr: () => stderr,
    /** A registered install's bearer token, for seeding through the public API. */
    async install() {
      const response = await fetch(`${url}/v1/installs`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      if (response.status !== 201) throw new Error(`install failed: ${response.status}`);
      return (await response.json()).token;
    },
    async call(path, { token, method = 'POST', body } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    /**
     * Waits until /v1/score counts `reports` contributors for `listing`: an acknowledged timing is
     * durable at once, and the estimates include it within milliseconds (folded behind).
     */
    async folded(token, listing, reports) {
      for (let attempt = 0; ; attempt += 1) {
        const answer = await this.call('/v1/score', { token, body: { listings: [listing] } });
        if (answer.status === 200 && answer.body.scores[0].reports >= reports) return;
        if (attempt > 500) throw new Error(`the estimates of ${listing.task_id} did not reach ${reports} reports: ${JSON.stringify(answer.body)}`);
        await new Promise((ok) => setTimeout(ok, 20));
      }
    },
    /** Rows of a read-only SQL query on the service's SQLite file (what the database really holds). */
    async query(sql, params = []) {
      const script = 'import json, sqlite3, sys\n'
        + 'connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)\n'
        + 'print(json.dumps(connection.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))';
      const output = await new Promise((ok, fail) => {
        const reader = spawn(PYTHON, ['-c', script, db, sql, JSON.stringify(params)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        reader.stdout.on('data', (chunk) => { out += chunk; });
        reader.stderr.on('data', (chunk) => { err += chunk; });
        reader.once('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`query failed: ${err}`))));
      });
      return JSON.parse(output);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((ok) => child.once('exit', ok));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
