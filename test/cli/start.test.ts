/**
 * The production entry point as a real child process: configuration errors,
 * content errors, and a graceful drain on SIGTERM/SIGINT with slow clients.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHead, splitResponses } from '../helpers/rawHttp.js';
import { freePort } from '../helpers/nginx.js';
import { runServerProcess, START_SCRIPT, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';

const running: ServerProcess[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServerProcess(env);
  running.push(s);
  return s;
}

describe('configuration errors', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^Configuration error: PORT must be a whole number from 0 to 65535 \(got "eighty"\)$/],
    [{ PORT: '70000' }, /^Configuration error: PORT must be a whole number/],
    [{ HOST: 'bad host' }, /^Configuration error: HOST must be a host name or IP address/],
    [{ SITE_URL: 'ftp://example.org' }, /^Configuration error: SITE_URL must be an http\(s\) address/],
    [
      { SITE_URL: 'https://example.org/path' },
      /^Configuration error: SITE_URL must be an http\(s\) address with no path/,
    ],
    [{ TRUST_PROXY: 'maybe' }, /^Configuration error: TRUST_PROXY must be true, false/],
    [{ LOG_LEVEL: 'loud' }, /^Configuration error: LOG_LEVEL must be one of/],
    [{ HEADERS_TIMEOUT_MS: '5' }, /^Configuration error: HEADERS_TIMEOUT_MS must be a whole number from 1000/],
    [{ REQUEST_TIMEOUT_MS: '1.5' }, /^Configuration error: REQUEST_TIMEOUT_MS must be a whole number/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '-1' }, /^Configuration error: KEEP_ALIVE_TIMEOUT_MS must be a whole number/],
    [
      { CONNECTIONS_CHECK_INTERVAL_MS: 'often' },
      /^Configuration error: CONNECTIONS_CHECK_INTERVAL_MS must be a whole number/,
    ],
    [{ SHUTDOWN_TIMEOUT_MS: '0' }, /^Configuration error: SHUTDOWN_TIMEOUT_MS must be a whole number/],
    [
      { HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' },
      /^Configuration error: HEADERS_TIMEOUT_MS must not be larger than REQUEST_TIMEOUT_MS$/,
    ],
    [
      { CONTENT_DIR: '/no/such/folder' },
      /^Configuration error: CONTENT_DIR must be a folder holding site.yml; \/no\/such\/folder is not a folder$/,
    ],
  ];
  for (const [env, message] of cases) {
    it(`${JSON.stringify(env)}: one clear line and exit code 2`, async () => {
      const result = await runServerProcess(env);
      expect(result.code).toBe(2);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(result.stdout).toBe('');
    });
  }
});

describe('content errors at start', () => {
  it('refuses to start, with each problem as a readable line and a JSON log line with file and line', async () => {
    const content = tempContent(minimalFiles({ 'broken.md': page('title: Broken\ndescription: x\ntitel: typo') }));
    try {
      const result = await runServerProcess({ CONTENT_DIR: content.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/broken\.md:4:1: error: unknown key "titel"\. Did you mean "title"\?/);
      const logged = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toContainEqual(
        expect.objectContaining({
          level: 50,
          file: 'broken.md',
          line: 4,
          column: 1,
          msg: expect.stringMatching(/unknown key "titel"/),
        }),
      );
    } finally {
      content.cleanup();
    }
  });
});

describe('a port in use', () => {
  it('says the port is busy and how to choose another, not "listen EADDRINUSE"', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    const content = tempContent(minimalFiles());
    try {
      const result = await runServerProcess({ CONTENT_DIR: content.dir, PORT: String(port), EDITOR: 'off' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
      expect(result.stderr).toContain('  PORT=3001 npm start\n');
      expect(result.stderr).not.toContain('EADDRINUSE');
    } finally {
      holder.close();
      content.cleanup();
    }
  });
});

/** An open connection that records what it receives and when the server closes it. */
function openConnection(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  const state = { data: '', closedAt: 0, lastDataAt: 0 };
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    state.data += d;
    state.lastDataAt = Date.now();
  });
  socket.on('close', () => (state.closedAt = Date.now()));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, state, connected, closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('graceful shutdown', () => {
  it(
    'on SIGTERM: stops accepting, closes idle connections at once, finishes ' +
      'in-flight requests with Connection: close, answers /readyz 503, then ' +
      'exits 0',
    async () => {
      // A long keep-alive timeout, so an idle connection closing is the drain's doing.
      const server = await start({ KEEP_ALIVE_TIMEOUT_MS: '30000', HEADERS_TIMEOUT_MS: '20000' });
      const { port } = server;

      // An idle keep-alive connection: one request answered, then quiet.
      const idle = openConnection(port);
      await idle.connected;
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await waitFor(() => idle.state.data.includes('ok\n'), 5000, 'the idle connection’s first response');

      // Slow clients in the middle of sending their requests (in flight).
      const slowPage = openConnection(port);
      const slowReady = openConnection(port);
      const slowHealth = openConnection(port);
      await Promise.all([slowPage.connected, slowReady.connected, slowHealth.connected]);
      slowPage.socket.write('GET /about/ HTTP/1.1\r\nHost: localhost\r\n');
      slowReady.socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
      slowHealth.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');

      // A slow reader: many pipelined requests for the stylesheet, not read yet.
      const home = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
      const cssUrl = /<link rel="stylesheet" href="([^"]+)"/.exec(home)![1]!;
      const slowReader = openConnection(port);
      await slowReader.connected;
      slowReader.socket.pause();
      const pipelined = 40;
      slowReader.socket.write(`GET ${cssUrl} HTTP/1.1\r\nHost: localhost\r\n\r\n`.repeat(pipelined));
      await sleep(300);

      const signalledAt = Date.now();
      server.child.kill('SIGTERM');

      // Stops accepting new connections.
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        refused = await refusesConnections(port);
        if (!refused) await sleep(20);
      }
      expect(refused, 'new connections are refused while draining').toBe(true);

      // The idle connection is closed at once.
      await idle.closed;
      expect(idle.state.closedAt - signalledAt).toBeLessThan(500);

      // In-flight requests are not cut: a second later the process still lives.
      await sleep(1000);
      expect(server.child.exitCode).toBeNull();

      slowReady.socket.write('\r\n');
      slowHealth.socket.write('\r\n');
      slowPage.socket.write('\r\n');
      await Promise.all([slowReady.closed, slowHealth.closed, slowPage.closed]);
      const ready = parseHead(slowReady.state.data);
      expect(ready.status, '/readyz while draining').toBe(503);
      expect(ready.headers.connection).toBe('close');
      expect(slowReady.state.data.endsWith('draining\n')).toBe(true);
      const health = parseHead(slowHealth.state.data);
      expect(health.status, '/healthz while draining').toBe(200);
      expect(health.headers.connection).toBe('close');
      const pageResponse = parseHead(slowPage.state.data);
      expect(pageResponse.status).toBe(200);
      expect(pageResponse.headers.connection).toBe('close');
      expect(slowPage.state.data).toContain('</html>');
      expect(server.child.exitCode, 'still draining: the slow reader has not read its responses').toBeNull();

      // The slow reader now reads: every response it was owed arrives whole
      // (their heads were written before the drain, so they say keep-alive),
      // and the connection is closed right after the last one.
      slowReader.socket.resume();
      await slowReader.closed;
      const lastResponseAt = slowReader.state.lastDataAt;
      const responses = splitResponses(slowReader.state.data);
      expect(responses.length).toBe(pipelined);
      for (const r of responses) {
        expect(r.status).toBe(200);
        expect(r.complete, 'every response arrives whole').toBe(true);
      }
      expect(slowReader.state.closedAt - lastResponseAt, 'closed right after its last response').toBeLessThan(500);

      const exit = await server.exited;
      expect(exit.code).toBe(0);
      expect(exit.at - lastResponseAt, 'exits within a second of the last response').toBeLessThan(1000);
      const logs = server.stdout
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; outcome?: string; signal?: string });
      expect(logs).toContainEqual(expect.objectContaining({ msg: 'draining', signal: 'SIGTERM' }));
      expect(logs).toContainEqual(expect.objectContaining({ msg: 'stopped', outcome: 'drained' }));
    },
  );

  it('on SIGINT with nothing in flight: exits 0 at once', async () => {
    const server = await start();
    const idle = openConnection(server.port);
    await idle.connected;
    idle.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitFor(() => idle.state.data.includes('</html>'), 5000, 'the home page');
    const signalledAt = Date.now();
    server.child.kill('SIGINT');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(1000);
    expect(idle.state.closedAt).toBeGreaterThan(0);
  });

  it('drains on a SIGTERM that comes as soon as it answers, before its start-up has finished', async () => {
    // Connections are accepted before the content watcher is ready (it starts after listening): a
    // SIGTERM then ended the server at once, without a drain, as the signal handlers were set up last.
    const port = await freePort();
    const child = spawn(process.execPath, [START_SCRIPT], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const until = Date.now() + 15_000;
      while (await refusesConnections(port)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error('the server did not listen');
        await sleep(2);
      }
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(stdout).toContain('"msg":"draining"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits anyway at the hard deadline, cutting a request that never completes', async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '20000' });
    const stuck = openConnection(server.port);
    await stuck.connected;
    stuck.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
    await sleep(100);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(950);
    expect(exit.at - signalledAt).toBeLessThan(2500);
    expect(exit.code, 'a drain cut short is not a clean exit').toBe(1);
    await stuck.closed;
    const logs = server.stdout
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; outcome?: string });
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'stopped', outcome: 'deadline' }));
  });
});
