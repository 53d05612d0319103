/** Starts Debian's nginx on 127.0.0.1 with a config of ours, for tests and the benchmark. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { nginxMainConfig, nginxServerBlock } from '../../src/deploy/nginxConfig.js';

export const NGINX = '/usr/sbin/nginx';

export function nginxInstalled(): boolean {
  return existsSync(NGINX);
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunningNginx {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startNginx(
  root: string,
  prefix: string,
  options: { cpu?: number; redirects?: ReadonlyMap<string, string> } = {},
): Promise<RunningNginx> {
  mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  const runAsRoot = process.getuid?.() === 0;
  writeFileSync(
    conf,
    nginxMainConfig(
      nginxServerBlock({
        root,
        listen: `127.0.0.1:${port}`,
        tls: false,
        ...(options.redirects ? { redirects: options.redirects } : {}),
      }),
      { prefix, runAsRoot },
    ),
  );
  const args = ['-p', prefix, '-c', conf, '-g', 'daemon off;'];
  const child =
    options.cpu === undefined
      ? spawn(NGINX, args, { stdio: 'ignore' })
      : spawn('taskset', ['-c', String(options.cpu), NGINX, ...args], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`nginx did not start (see ${prefix}/error.log)`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
