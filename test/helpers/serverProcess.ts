/**
 * Runs the production entry point (`node dist/cli/start.js`) as a child
 * process, as `npm start` does. `npm test` builds dist first (pretest).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

export const START_SCRIPT = path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** stdout lines so far (JSON log lines, and the "Serving" line). */
  stdout: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function requireBuild(): void {
  if (!existsSync(START_SCRIPT))
    throw new Error(`${START_SCRIPT} is missing: run "npm run build:ts" (npm test does it first)`);
}

/** Only what the server reads, so the test's own environment cannot leak in. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...env };
}

/** Starts the server and resolves once it listens. */
export function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  requireBuild();
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd: PROJECT_ROOT,
    env: environment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let pending = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 15 s:\n${stderr}`)), 15_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        stdout.push(line);
        const m = /^Serving \d+ pages at http:\/\/[^:]+:(\d+)\//.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ child, port: Number(m[1]), stdout, stderr: () => stderr, exited });
        }
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${stderr}`));
    });
  });
}

/** Runs the server to completion (for start-up failures). */
export function runServerProcess(env: Record<string, string>, timeoutMs = 15_000): Promise<Finished> {
  requireBuild();
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd: PROJECT_ROOT,
    env: environment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
