import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nameAndVersion } from '../../../packages/runtime/src/agent-name.ts';
import { agentExecutableName } from '../src/agent-name.mjs';
// @ts-expect-error plain ESM tool without types
import { discover } from '../src/bundle.mjs';

// `npm run build` is `nx run-many -t build`: a package that bundles something but has no build
// script is silently left out of dist/ (it happened: CI on a fresh clone found no redis agent).
// And nx caches builds: a file the build writes but the package does not list in its nx
// `outputs` is missing from dist/ whenever nx restores the build from its cache.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const packages = ['agents', 'packages', 'tools']
  .flatMap((area) => readdirSync(join(root, area)).map((dir) => ({ dir: join(area, dir), file: join(root, area, dir, 'package.json') })))
  .filter(({ file }) => existsSync(file))
  .map(({ dir, file }) => ({ dir, manifest: JSON.parse(readFileSync(file, 'utf8')) }))
  .filter(({ manifest }) => manifest.ocfkit?.agent || manifest.ocfkit?.bin);

/** What tools/bundle/src/bundle.mjs writes for a package, as nx output paths. */
function written(manifest: { name: string; bin?: Record<string, string>; ocfkit: { agent?: string; bin?: Record<string, string> } }): string[] {
  const files = Object.keys(manifest.ocfkit.bin ?? {}).map((name) => `{workspaceRoot}/dist/bin/${name}`);
  if (manifest.ocfkit.agent) files.unshift(`{workspaceRoot}/dist/resource.d/ocfkit/${agentExecutableName(manifest)}`);
  // the copy a package publishes (package-copy.mjs), with its man page, under the package's dist/
  if (manifest.bin) files.push('{projectRoot}/dist');
  return files;
}

describe.for(packages.map((p) => [p.manifest.name, p] as const))('%s', ([, { manifest }]) => {
  it('has the nx build target that bundles it', () => {
    expect(manifest.scripts?.build).toMatch(/tools\/bundle\/src\/cli\.mjs/);
  });
  it('declares every file its build writes as an nx output', () => {
    expect(manifest.nx?.targets?.build?.outputs ?? []).toEqual(expect.arrayContaining(written(manifest)));
    for (const bin of Object.values<string>(manifest.bin ?? {})) expect(bin).toMatch(/^dist\//);
  });
});

// Pacemaker finds an agent by its file name (ocf:ocfkit:<file>) and the agent calls itself by the
// name in its declaration (OCF_RESOURCE_TYPE, ha_log's tag, meta-data): the bundler's rule for the
// one (agent-name.mjs) and the runtime's for the other (nameAndVersion) must agree on every agent.
describe('the executable of an agent', () => {
  const agents = packages.filter(({ manifest }) => manifest.ocfkit?.agent);

  it('is named as the runtime names the agent: its package name without the scope', async () => {
    const targets: { kind: string; name: string; entry: string }[] = await discover(root);
    const named = Object.fromEntries(targets.filter((t) => t.kind === 'agent').map((t) => [t.entry, t.name]));
    expect(agents.length).toBeGreaterThan(0);
    for (const { dir, manifest } of agents) expect(named[join(root, dir, manifest.ocfkit.agent)], dir).toBe(nameAndVersion(manifest).name);
    expect(Object.keys(named).length).toBe(agents.length);
  });
});
