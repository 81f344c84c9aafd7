#!/usr/bin/env node
// npm run package -- <agent> [--deb] [--rpm]: packages land in dist/packages/.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeb, buildRpm } from './package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--'));
if (!name) {
  console.error('usage: npm run package -- <agent> [--deb] [--rpm]');
  process.exit(2);
}
const both = !args.includes('--deb') && !args.includes('--rpm');
const out = join(root, 'dist/packages');
if (both || args.includes('--deb')) console.log(await buildDeb(root, name, out));
if (both || args.includes('--rpm')) console.log(await buildRpm(root, name, out));
