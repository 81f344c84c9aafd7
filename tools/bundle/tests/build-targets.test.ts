import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run build` is `nx run-many -t build`: a package that bundles something but has no build
// script is silently left out of dist/ (it happened: CI on a fresh clone found no redis agent).
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const packages = ['agents', 'packages', 'tools']
  .flatMap((area) => readdirSync(join(root, area)).map((dir) => join(root, area, dir, 'package.json')))
  .filter((file) => existsSync(file))
  .map((file) => ({ file, manifest: JSON.parse(readFileSync(file, 'utf8')) }))
  .filter(({ manifest }) => manifest.ocfkit?.agent || manifest.ocfkit?.bin);

describe.for(packages.map((p) => [p.manifest.name, p] as const))('%s', ([, { manifest }]) => {
  it('has the nx build target that bundles it', () => {
    expect(manifest.scripts?.build).toMatch(/tools\/bundle\/src\/cli\.mjs/);
  });
});
