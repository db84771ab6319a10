// Test support: a real `vitals serve` on a free loopback port with a temporary database, and
// small HTTP helpers to feed it.
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const binary = process.env.VITALS_BINARY ?? resolve(here, '../../build/vitals');
export const webRoot = process.env.VITALS_WEB_ROOT ?? resolve(here, '../dist');

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class VitalsServer {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'vitals-web-'));
    this.db = join(this.dir, 'vitals.db');
    this.proc = null;
    this.log = '';
    this.key = ''; // sent as a Bearer token when set
    this.args = []; // extra `vitals serve` flags
  }

  headers(extra = {}) {
    return this.key ? { ...extra, Authorization: `Bearer ${this.key}` } : extra;
  }

  // Creates a key in the database (the operator's way, before the server starts); returns it.
  createKey(scope) {
    const out = execFileSync(binary, [
      'keys',
      'create',
      '--init',
      '--db',
      this.db,
      '--org',
      'default',
      '--scope',
      scope,
    ]).toString();
    const key = out.split('\n').find((l) => l.startsWith('vk_'));
    if (!key) throw new Error(`no key in: ${out}`);
    return key.trim();
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port) {
    this.port = port ?? this.port ?? (await freePort());
    const args = ['serve', '--listen', `127.0.0.1:${this.port}`, '--db', this.db, ...this.args];
    this.proc = spawn(binary, args, {
      env: { ...process.env, VITALS_WEB_ROOT: webRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b) => (this.log = (this.log + b.toString()).slice(-20000));
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    const exited = new Promise((r) => this.proc.once('exit', (code) => r(code)));
    this.exited = exited;
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      const code = await Promise.race([exited, sleep(100).then(() => undefined)]);
      if (code !== undefined) throw new Error(`vitals exited with ${code}:\n${this.log}`);
      try {
        const r = await fetch(`${this.url}/readyz`);
        if (r.ok) return;
      } catch {
        /* not listening yet */
      }
    }
    throw new Error(`vitals did not become ready:\n${this.log}`);
  }

  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(timer);
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async post(path, body) {
    const r = await fetch(this.url + path, {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  }

  async get(path) {
    const r = await fetch(this.url + path, { headers: this.headers() });
    if (!r.ok) throw new Error(`GET ${path}: ${r.status}`);
    return r.json();
  }

  // The status of a GET for `path` exactly as written, with no URL normalisation.
  rawStatus(path) {
    return new Promise((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: this.port, path, method: 'GET' }, (res) => {
        res.resume();
        ok(res.statusCode);
      });
      req.on('error', fail);
      req.end();
    });
  }

  // Execution records (seed 000's fields); status "success" or "error".
  async executions(records) {
    const res = await this.post('/api/v1/executions', records);
    if (res.accepted !== records.length)
      throw new Error(
        `accepted ${res.accepted} of ${records.length}: ${JSON.stringify(res.rejected?.slice(0, 3))}`,
      );
    return res;
  }
}

export function execution(agentId, status = 'success', latency = 120) {
  return {
    agent_id: agentId,
    action_type: 'llm_call',
    action_name: 'answer',
    status,
    latency_ms: latency,
    error_message: status === 'success' ? undefined : 'upstream timed out',
  };
}
