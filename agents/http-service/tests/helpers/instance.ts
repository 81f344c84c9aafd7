import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '../../../..');
export const AGENT = join(ROOT, 'dist/resource.d/ocfkit/http-service');
export const HELLO = join(here, '../../examples/hello-server.mjs');

export function requireBuilt(): void {
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run "npm run build" first`);
}

/** A port nothing listens on right now (the kernel's pick, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A scratch directory per test instance; world-readable so `nobody` can run the agent there. */
export function scratch(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-http-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function pidIn(pidfile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z';
  } catch {
    return false;
  }
}

/** Every process whose command line mentions `marker` (a scratch dir): what a test left behind. */
export function processesMentioning(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker) && Number(entry) !== process.pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
