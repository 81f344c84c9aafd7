import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { freePort, pidIn, alive, processesMentioning } from '@ocfkit/testkit';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '../../../..');
export const AGENT = join(ROOT, 'dist/resource.d/ocfkit/http-service');
export const HELLO = join(here, '../../examples/hello-server.mjs');

export function requireBuilt(): void {
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run "npm run build" first`);
}

/** A scratch directory for one test file's pidfiles, logs and sockets. */
export function scratch(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-http-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
