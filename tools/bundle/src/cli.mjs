#!/usr/bin/env node
// npm run build [-- name...]: bundle every agent (or the named ones) into dist/.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const only = process.argv.slice(2);
try {
  const built = await buildAll(root, { only: only.length ? only : undefined });
  for (const b of built) {
    console.log(`${b.kind.padEnd(5)} ${relative(root, b.outfile).padEnd(42)} ${(b.size / 1024).toFixed(1)} KB`);
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
