/**
 * Where the time goes: CPU profiles of every thread of a run (node
 * --cpu-prof writes one per thread), summed by area: each library, our own
 * modules by folder, garbage collection, file system calls, idle time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function areaOf(frame: ProfileNode['callFrame']): string {
  const url = frame.url;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  const ours = /\/(?:dist|src)\/([^/]+)\//.exec(url);
  if (ours) return `ours: ${ours[1]}/`;
  if (url.startsWith('node:')) return 'Node.js internals';
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)') return 'idle (waiting)';
  if (name === '(program)') return 'V8 and native code';
  if (/^(?:open|close|read|write|mkdir|lstat|fstat|stat|readdir|writeBuffer|writeString|openFileHandle)/.test(name))
    return 'file system calls';
  if (/^(?:Zlib|Brotli|zlib|brotli|crc32|deflate|inflate)/i.test(name)) return 'compression (zlib, brotli)';
  return name || '(other)';
}

/** Milliseconds per area over every profile in a folder, busiest first, with the threads counted. */
export function summariseProfiles(dir: string): { threads: number; totalMs: number; areas: [string, number][] } {
  const areas = new Map<string, number>();
  let totalMs = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const area = areaOf(byId.get(id)!.callFrame);
      areas.set(area, (areas.get(area) ?? 0) + ms);
      totalMs += ms;
    });
  }
  return { threads: files.length, totalMs, areas: [...areas].sort((a, b) => b[1] - a[1]) };
}
