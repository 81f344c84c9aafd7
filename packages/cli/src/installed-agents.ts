import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { CliError } from './cli-error.ts';
import { checkName } from './ocf-paths.ts';
import { isExecutable } from './pacemaker-path.ts';

export interface InstalledAgent {
  /** The agent's name: the `A` of ocf:P:A. */
  name: string;
  packageName: string;
  version: string;
  packageDir: string;
  /** The bundled executable, real path. */
  executable: string;
  /** The package's engines.node, e.g. ">=18.19". */
  engines?: string;
}

interface Manifest {
  name?: string;
  version?: string;
  bin?: Record<string, string> | string;
  engines?: { node?: string };
  ocfkit?: { agent?: string; agentName?: string };
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * The node_modules directory ocfkit itself was installed in. Agents are found there, next to it:
 * `npm install -g ocfkit @ocfkit/redis` puts both in the same global node_modules (and a local
 * `npm install` in the same project's).
 */
export function ownModulesDir(script = process.argv[1]): string {
  const real = script ? realpathSync(script) : '';
  const parts = real.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) throw new CliError(`ocfkit runs from ${real || 'an unknown place'}, not from an npm installation: install it with npm (npm install -g ocfkit) next to the agent packages`);
  return parts.slice(0, at + 1).join(sep);
}

/**
 * An agent package has `"ocfkit": { "agent": ... }` in its package.json (the source entry its
 * build bundles) and publishes the bundle as the "bin" named after the agent (`ocfkit.agentName`,
 * or the package name without its scope).
 */
export function agentOf(packageDir: string): InstalledAgent | undefined {
  const manifest = readManifest(packageDir);
  if (!manifest?.ocfkit?.agent || !manifest.name) return undefined;
  const name = manifest.ocfkit.agentName ?? basename(manifest.name);
  const bin = typeof manifest.bin === 'object' ? manifest.bin[name] : undefined;
  if (!bin) return undefined;
  const file = join(packageDir, bin);
  if (!isExecutable(file)) return undefined;
  return { name: checkName('agent', name), packageName: manifest.name, version: manifest.version ?? '?', packageDir, executable: realpathSync(file), engines: manifest.engines?.node };
}

/** Every agent package in `modulesDir` (scoped or not), sorted by agent name. */
export function installedAgents(modulesDir: string): InstalledAgent[] {
  const dirs: string[] = [];
  for (const entry of existsSync(modulesDir) ? readdirSync(modulesDir) : []) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const inner of readdirSync(join(modulesDir, entry))) dirs.push(join(modulesDir, entry, inner));
    else dirs.push(join(modulesDir, entry));
  }
  return dirs
    .map(agentOf)
    .filter((a): a is InstalledAgent => a !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The named agents (all when none is named); a name no package provides, or two do, is refused. */
export function selectAgents(installed: InstalledAgent[], names: string[], modulesDir: string): InstalledAgent[] {
  if (installed.length === 0) throw new CliError(`no agent packages installed in ${modulesDir}: install some next to ocfkit (npm install -g @ocfkit/redis)`);
  if (names.length === 0) names = [...new Set(installed.map((a) => a.name))];
  return names.map((name) => {
    const found = installed.filter((a) => a.name === name);
    if (found.length === 0) throw CliError.usage(`no installed package provides agent "${name}" (installed: ${installed.map((a) => a.name).join(', ')})`);
    if (found.length > 1) throw new CliError(`agent "${name}" is provided by ${found.map((a) => a.packageName).join(' and ')}: uninstall one`);
    return found[0]!;
  });
}

/** The installed agent whose executable `file` is, if any (the package is found from the file). */
export function agentOwning(file: string): InstalledAgent | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    // the first package.json with a name (the bundle's own dist/package.json only sets "type")
    if (readManifest(dir)?.name) {
      const agent = agentOf(dir);
      return agent?.executable === file ? agent : undefined;
    }
  }
  return undefined;
}
