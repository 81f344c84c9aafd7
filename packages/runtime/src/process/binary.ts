import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { OcfError } from '../ocf-error.ts';

type Env = Readonly<Record<string, string | undefined>>;

type Lookup = { path: string } | { path: string; problem: 'not found' | 'is a directory' | 'is not executable' | 'is not an absolute path' };

/** ocf-tester sets this to make every "is it installed" check fail (resource-agents' have_binary honours it). */
function simulatedMissing(env: Env): boolean {
  return (env.OCF_TESTER_FAIL_HAVE_BINARY ?? '') !== '';
}

function check(path: string): Lookup {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return { path, problem: 'not found' };
  }
  if (stats.isDirectory()) return { path, problem: 'is a directory' };
  if (!stats.isFile()) return { path, problem: 'is not executable' };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { path, problem: 'is not executable' };
  }
  return { path };
}

/**
 * A path (anything with a '/') must be absolute: Pacemaker's working directory is
 * /var/lib/pacemaker/cores. A bare name is looked up in PATH, skipping empty and relative
 * entries (they would also mean "the working directory").
 */
function lookup(nameOrPath: string, env: Env): Lookup {
  if (nameOrPath === '') return { path: nameOrPath, problem: 'not found' };
  if (nameOrPath.includes('/')) {
    if (!isAbsolute(nameOrPath)) return { path: nameOrPath, problem: 'is not an absolute path' };
    return simulatedMissing(env) ? { path: nameOrPath, problem: 'not found' } : check(nameOrPath);
  }
  if (simulatedMissing(env)) return { path: nameOrPath, problem: 'not found' };
  let best: Lookup | undefined;
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!isAbsolute(dir)) continue;
    const found = check(join(dir, nameOrPath));
    if (!('problem' in found)) return found;
    // remember why the first candidate that exists failed ("is not executable" beats "not found")
    if (found.problem !== 'not found') best ??= found;
  }
  return best ?? { path: nameOrPath, problem: 'not found' };
}

/** Is this program installed: an absolute path to an executable file, or a name found in PATH. */
export function haveBinary(nameOrPath: string, env: Env = process.env): boolean {
  return !('problem' in lookup(nameOrPath, env));
}

/** The full path of the program (same rules as haveBinary), or undefined. */
export function findExecutable(nameOrPath: string, env: Env = process.env): string | undefined {
  const found = lookup(nameOrPath, env);
  return 'problem' in found ? undefined : found.path;
}

/**
 * The full path of the program a parameter names, or an OcfError for validate-all/start:
 * a relative path is a configuration error (6, everywhere); a missing or unusable program is
 * "not installed" (5, this node: another node may have it).
 */
export function requireExecutable(nameOrPath: string, paramName: string, env: Env = process.env): string {
  if (nameOrPath === '') throw OcfError.configured(`${paramName}: no program given`);
  const found = lookup(nameOrPath, env);
  if (!('problem' in found)) return found.path;
  if (found.problem === 'is not an absolute path') throw OcfError.configured(`${paramName}: ${found.path} is not an absolute path`);
  if (found.problem === 'not found' && !nameOrPath.includes('/')) throw OcfError.installed(`${paramName}: ${nameOrPath} not found in PATH`);
  throw OcfError.installed(`${paramName}: ${found.path} ${found.problem}`);
}
