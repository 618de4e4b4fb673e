import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { classifyLines } from './classify-lines.ts';

// Starting the whole program takes seconds on a machine busy with the rest of the suite.
vi.setConfig({ testTimeout: 90_000 });

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mediehus.js');

function mediehus(args: string[], input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'MEDIEHUS_DATA_DIR', 'NODE_ENV', 'MEDIEHUS_DEMO']) delete childEnv[name];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-classify-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('mediehus classify', () => {
  it('answers each line on stdin with one line in the same order, a Danish error for a bad line, exits 0 and opens no database', async () => {
    const input = ['{"text": "Hvornår åbner svømmehallen igen?"}', 'det her er ikke JSON', '{"text": "I er nogle idioter på rådhuset"}'].join('\n') + '\n';
    const run = await mediehus(['classify'], input, { MEDIEHUS_DATA_DIR: dataDir });

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[0].categories).toEqual(['question']);
    expect(lines[0].reasons[0]).toMatchObject({ category: 'question', ruleId: 'spoergsmaal', matches: ['Hvornår åbner svømmehallen igen?'] });
    expect(lines[1]).toEqual({ error: expect.stringContaining('ikke gyldig JSON') });
    expect(lines[2].categories).toEqual(['offensive']);
    expect(lines[2].reasons[0].matches).toEqual(['idioter']);
    // The command reads no settings and touches no database.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('lists the command in the Danish help', async () => {
    const run = await mediehus(['classify', '--help'], '', { MEDIEHUS_DATA_DIR: dataDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Sortér kommentarer efter retningslinjerne');
  });
});

describe('classifying a stream of lines', () => {
  async function through(input: string): Promise<string[]> {
    const source = new PassThrough();
    const sink = new PassThrough();
    let written = '';
    sink.setEncoding('utf8').on('data', (chunk: string) => (written += chunk));
    const done = classifyLines(source, sink);
    source.end(input);
    const count = await done;
    const lines = written.split('\n').slice(0, -1);
    expect(lines).toHaveLength(count);
    return lines;
  }

  it('a line without a "text" string, an empty line and a JSON array each get their own error line', async () => {
    const lines = await through('{"tekst": "hej"}\n\n[1]\n{"text": 42}\n{"text": "Tak for hjælpen"}\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { error: 'Linjen mangler feltet "text" med kommentarens tekst.' },
      { error: expect.stringContaining('ikke gyldig JSON') },
      { error: 'Linjen mangler feltet "text" med kommentarens tekst.' },
      { error: 'Linjen mangler feltet "text" med kommentarens tekst.' },
      { categories: ['ok'], reasons: [] },
    ]);
  });

  it('Windows line endings and a byte order mark are read as a text editor writes them', async () => {
    const lines = await through('\uFEFF{"text": "Hvad koster et nyt pas?"}\r\n{"text": "Fedt!"}\r\n');
    expect(lines.map((line) => JSON.parse(line).categories)).toEqual([['question'], ['ok']]);
  });

  it('a caller that sends one line at a time gets each answer before sending the next', async () => {
    const source = new PassThrough();
    const sink = new PassThrough();
    const answers: string[] = [];
    sink.setEncoding('utf8').on('data', (chunk: string) => answers.push(chunk));
    const done = classifyLines(source, sink);
    const answer = async (line: string) => {
      const before = answers.length;
      source.write(`${line}\n`);
      await vi.waitFor(() => expect(answers.length).toBe(before + 1));
      return JSON.parse(answers.at(-1)!);
    };
    expect((await answer('{"text": "Hvornår tømmes containeren?"}')).categories).toEqual(['question']);
    expect((await answer('{"text": "Sagsnr. 2026-1234"}')).categories).toEqual(['casework']);
    source.end();
    expect(await done).toBe(2);
  });

  it('10,000 lines come out as 10,000 answers in the order they went in', async () => {
    const input = Array.from({ length: 10_000 }, (_, i) => (i % 1000 === 999 ? 'ødelagt' : JSON.stringify({ text: `Tak for i går. Hvornår åbner hal ${i}?` }))).join('\n');
    const lines = await through(input);
    expect(lines).toHaveLength(10_000);
    expect(JSON.parse(lines[0]!).categories).toEqual(['question']);
    expect(JSON.parse(lines[999]!)).toHaveProperty('error');
    expect(JSON.parse(lines[9_998]!).reasons[0].matches).toEqual(['Hvornår åbner hal 9998?']);
  });
});
