import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OCF_ROOT } from './ocf-paths.ts';

/**
 * The PATH agents get from pacemaker-execd: pacemakerd's own, which systemd sets to its default
 * (observed on Pacemaker 2.1.5, Debian 12). `#!/usr/bin/env node` finds node here or not at all,
 * whatever the PATH of the shell that installed the agent.
 */
export const PACEMAKER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `command` on `path`, as `env` would pick it. */
export function findInPath(command: string, path = PACEMAKER_PATH): string | undefined {
  for (const dir of path.split(':')) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

export function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** The environment every check runs agents and tools in: Pacemaker's, not the caller's shell's. */
export function pacemakerLikeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: PACEMAKER_PATH, LC_ALL: 'C', OCF_ROOT, ...extra };
}
