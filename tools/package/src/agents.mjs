// What gets packaged: every agent package under agents/ (its declaration, its extra commands) and
// the third-party code its bundle contains, for the copyright file.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentExecutableName } from '../../bundle/src/agent-name.mjs';
import { SOURCE_CONDITIONS } from '../../bundle/src/conditions.mjs';
import { loadModule } from '../../bundle/src/load-agent.mjs';

/** [{ name, dir, agent (the declaration), entry, bins }] for every agent package (or those named in `only`), by name. */
export async function listAgents(root, only) {
  const agents = [];
  for (const dir of readdirSync(join(root, 'agents')).sort()) {
    const manifestPath = join(root, 'agents', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (!manifest.ocfkit?.agent || (only?.length && !only.includes(agentExecutableName(manifest)))) continue;
    const agent = (await loadModule(join(root, 'agents', dir, 'src/agent.ts'))).default;
    agents.push({ name: agentExecutableName(manifest), dir: join(root, 'agents', dir), agent, entry: join(root, 'agents', dir, manifest.ocfkit.agent), bins: Object.entries(manifest.ocfkit.bin ?? {}).map(([name, entry]) => ({ name, entry: join(root, 'agents', dir, entry) })) });
  }
  return agents;
}

/**
 * The npm packages whose code ends up in the bundles of `entries` (esbuild's own account of its
 * inputs), with version, license and the copyright line of their LICENSE file.
 */
export async function bundledPackages(root, entries) {
  const names = new Set();
  for (const entry of entries) {
    const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', format: 'cjs', target: 'node18', metafile: true, conditions: SOURCE_CONDITIONS, logLevel: 'error' });
    for (const input of Object.keys(result.metafile.inputs)) {
      const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
      if (m) names.add(m[1]);
    }
  }
  return [...names].sort().map((name) => {
    const dir = join(root, 'node_modules', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const notice = licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').split('\n').filter((l) => /^\s*copyright\s*(\(c\)|©|\d)/i.test(l)).map((l) => l.trim()) : [];
    const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
    return { name, version: manifest.version, license: manifest.license, copyright: notice.length ? notice : [`${author ?? name} and contributors`] };
  });
}
