import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pacemakerEnv, type CallOptions } from './pacemaker-env.ts';

const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/loaded-builtins.cjs');

/** Built-ins that cost 2-5 ms of CPU each to load: a path that does not use them must not load them. */
export const HEAVY_BUILTINS = ['child_process', 'crypto', 'net', 'tls', 'http', 'https', 'fs/promises', 'dgram', 'zlib', 'worker_threads'];

/** Which Node built-ins one action of a built agent loads, beyond a bare node start. */
export function loadedBuiltins(executable: string, action: string, options: CallOptions & { agentName: string }): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', PRELOAD, executable, action], {
      env: pacemakerEnv(options.agentName, options),
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    let out = '';
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out ? (JSON.parse(out) as string[]) : []));
  });
}
