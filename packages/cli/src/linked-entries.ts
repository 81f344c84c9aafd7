import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join, resolve, dirname, sep } from 'node:path';
import { agentOwning, type InstalledAgent } from './installed-agents.ts';
import { parseLauncher } from './launcher.ts';
import { RESOURCE_D } from './ocf-paths.ts';

/** An entry of resource.d/<provider>/ that `ocfkit link` made. */
export interface LinkedEntry {
  provider: string;
  name: string;
  path: string;
  kind: 'symlink' | 'launcher';
  /** The agent executable it runs, as written in the link or launcher. */
  target: string;
  /** The launcher's node; a symlink runs with the `node` Pacemaker's PATH finds. */
  node?: string;
  /** The installed agent it runs; undefined when its package is gone (a stale entry). */
  agent?: InstalledAgent;
}

const inNodeModules = (file: string) => file.split(sep).includes('node_modules');

/** Anything at `path`, a dangling symlink included. */
export function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ours: a symlink or a launcher leading to an npm-installed agent's executable, or (its package
 * since uninstalled) into a node_modules directory. Anything else there (a DEB/RPM's file, an
 * operator's script) is never touched.
 */
export function readEntry(provider: string, name: string): LinkedEntry | undefined {
  const path = join(RESOURCE_D, provider, name);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return undefined;
  }
  let kind: LinkedEntry['kind'];
  let target: string;
  let node: string | undefined;
  if (stat.isSymbolicLink()) {
    kind = 'symlink';
    target = resolve(dirname(path), readlinkSync(path));
  } else if (stat.isFile() && stat.size < 4096) {
    const launcher = parseLauncher(readFileSync(path, 'utf8'));
    if (!launcher) return undefined;
    kind = 'launcher';
    ({ agent: target, node } = launcher);
  } else {
    return undefined;
  }
  const real = existsSync(target) ? realpathSync(target) : undefined;
  const agent = real ? agentOwning(real) : undefined;
  if (!agent && !(real === undefined && inNodeModules(target))) return undefined;
  return { provider, name, path, kind, target, node, agent };
}

/** Our entries in one provider's directory, or in every provider's. */
export function linkedEntries(provider?: string): LinkedEntry[] {
  const list = (dir: string) => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  };
  const providers = provider ? [provider] : list(RESOURCE_D);
  return providers.flatMap((p) => list(join(RESOURCE_D, p)).flatMap((name) => readEntry(p, name) ?? []));
}
