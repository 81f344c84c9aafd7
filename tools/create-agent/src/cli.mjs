#!/usr/bin/env node
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent } from './create.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const [name, description] = process.argv.slice(2);
if (!name) {
  console.error('usage: npm run new-agent -- <name> ["one-line description"]');
  process.exit(2);
}
try {
  for (const file of createAgent(root, name, description)) console.log(`created ${relative(root, file)}`);
  console.log(`\nnext: npm install && npm run build && npx vitest run agents/${name}`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
