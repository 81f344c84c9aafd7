import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExecutable, type ExecutableOptions, type ExecutableResult, type Params } from '@ocfkit/testkit';
import type { NsInstance } from './fake-ns.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '../../../..');
export const AGENT = join(ROOT, 'dist/resource.d/ocfkit/tfs-nameserver');
export const HA_MONITOR = join(ROOT, 'dist/bin/tfs-ha-monitor');

export function requireBuilt(): void {
  for (const file of [AGENT, HA_MONITOR]) if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
}

/** The parameters of an instance running the stand-in of `ns` (as root unless told). */
export function paramsFor(ns: NsInstance, extra: Params = {}): Params {
  return { basedir: ns.basedir, user: 'root', nsport: ns.port, ...extra };
}

/** One action of the built agent, as pacemaker-execd runs it. */
export function call(action: string, params: Params, options: ExecutableOptions = {}): Promise<ExecutableResult> {
  return runExecutable(AGENT, action, { agentName: 'tfs-nameserver', instance: 'ns', ...options, params });
}
