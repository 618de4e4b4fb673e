// Servers in processes of their own, as in production, so the load generator does not share their event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = (s.address() as net.AddressInfo);
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  url: string;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`processen stoppede (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error(`${url} svarede ikke inden for 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function track(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  return () => output;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** `npm start` (node bin/mediehus.js serve) on a database the bench has filled; no demo seeding, no jobs, quiet logs. */
export async function startMediehus(databaseUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-bench-data-'));
  const child = spawn(process.execPath, ['bin/mediehus.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      MEDIEHUS_DATA_DIR: dataDir,
      MEDIEHUS_DEMO: 'false',
      MEDIEHUS_RUN_JOBS: 'false',
      MEDIEHUS_COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret-1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = track(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/healthz`, child, output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    url,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BareResponse {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A plain node:http server answering each path with fixed bytes and headers: the ceiling to compare against. */
export async function startBare(responses: BareResponse[]): Promise<Running> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-bench-bare-'));
  const file = path.join(dir, 'responses.json');
  fs.writeFileSync(file, JSON.stringify(responses.map((r) => ({ ...r, body: r.body.toString('base64') }))));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/lib/bare-server.ts'), String(port), file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = track(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}${responses[0]!.path}`, child, output);
  return {
    url,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SmtpSink {
  url: string;
  /** How many mails the sink has accepted so far. */
  received(): Promise<number>;
  stop(): Promise<void>;
}

/** An SMTP server in its own process that accepts and counts every mail (bench/lib/smtp-sink.ts). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/smtp-sink.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = track(child);
  let lines = '';
  child.stdout!.on('data', (d: Buffer) => (lines += d.toString()));
  const started = Date.now();
  while (!/port (\d+)/.test(lines)) {
    if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`SMTP-serveren startede ikke:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = /port (\d+)/.exec(lines)![1];
  return {
    url: `smtp://127.0.0.1:${port}`,
    async received() {
      const before = lines.length;
      child.kill('SIGUSR2');
      while (!/received (\d+)\n/.test(lines.slice(before))) await new Promise((r) => setTimeout(r, 20));
      return Number(/received (\d+)\n/.exec(lines.slice(before))![1]);
    },
    stop: () => stopChild(child),
  };
}
