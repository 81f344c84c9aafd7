import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run build` is `nx run-many -t build`: a package that bundles something but has no build
// script is silently left out of dist/ (it happened: CI on a fresh clone found no redis agent).
// And nx caches builds: a file the build writes but the package does not list in its nx
// `outputs` is missing from dist/ whenever nx restores the build from its cache.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const packages = ['agents', 'packages', 'tools']
  .flatMap((area) => readdirSync(join(root, area)).map((dir) => ({ dir, file: join(root, area, dir, 'package.json') })))
  .filter(({ file }) => existsSync(file))
  .map(({ dir, file }) => ({ dir, manifest: JSON.parse(readFileSync(file, 'utf8')) }))
  .filter(({ manifest }) => manifest.ocfkit?.agent || manifest.ocfkit?.bin);

/** What tools/bundle/src/bundle.mjs writes for a package, as nx output paths. */
function written(dir: string, manifest: { bin?: Record<string, string>; ocfkit: { agent?: string; agentName?: string; bin?: Record<string, string> } }): string[] {
  const files = Object.keys(manifest.ocfkit.bin ?? {}).map((name) => `{workspaceRoot}/dist/bin/${name}`);
  if (manifest.ocfkit.agent) files.unshift(`{workspaceRoot}/dist/resource.d/ocfkit/${manifest.ocfkit.agentName ?? dir}`);
  // the copy a package publishes (package-copy.mjs), with its man page, under the package's dist/
  if (manifest.bin) files.push('{projectRoot}/dist');
  return files;
}

describe.for(packages.map((p) => [p.manifest.name, p] as const))('%s', ([, { dir, manifest }]) => {
  it('has the nx build target that bundles it', () => {
    expect(manifest.scripts?.build).toMatch(/tools\/bundle\/src\/cli\.mjs/);
  });
  it('declares every file its build writes as an nx output', () => {
    expect(manifest.nx?.targets?.build?.outputs ?? []).toEqual(expect.arrayContaining(written(dir, manifest)));
    for (const bin of Object.values<string>(manifest.bin ?? {})) expect(bin).toMatch(/^dist\//);
  });
});
