import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Packages are made from the bundles: `npm test` builds them first. */
export function requireBundles(): void {
  if (!existsSync(join(ROOT, 'dist/resource.d/ocfkit'))) throw new Error('dist/resource.d/ocfkit missing: npm run build first');
}
