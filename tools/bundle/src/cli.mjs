#!/usr/bin/env node
// node tools/bundle/src/cli.mjs [name...]: bundle every agent and command (or the named ones) into
// dist/. Each package's build script calls it with its own names; see USAGE for how nx runs it.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAll, discover } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const USAGE = `usage: node tools/bundle/src/cli.mjs [name...]

Bundles agents (package.json "ocfkit": { "agent": ... }) into dist/resource.d/ocfkit/<name> and
commands ("ocfkit": { "bin": ... }) into dist/bin/<name>, each one executable file, and copies
each into the package that publishes it.

  name         an agent or command to build (default: all of them)
  -h, --help   this text

\`npm run build\` (nx run-many -t build) passes no names: nx runs each package's own build
script, which names what that package bundles (agents/redis: \`cli.mjs redis\`), and caches it.
Names after \`npm run build --\` go to nx, not here. To build one package:
  npx nx run @ocfkit/redis:build      (or: node tools/bundle/src/cli.mjs redis)

Exit status: 0 built, 1 a build failed, 2 a usage error.`;

function usageError(message) {
  console.error(`bundle: ${message}\n(node tools/bundle/src/cli.mjs --help for usage)`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
} catch (error) {
  usageError(error.message);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const only = parsed.positionals;
const known = (await discover(root)).map((t) => t.name);
const unknown = only.filter((name) => !known.includes(name));
if (unknown.length) usageError(`nothing to build named ${unknown.join(', ')} (there are: ${known.join(', ')})`);
try {
  const built = await buildAll(root, { only: only.length ? only : undefined });
  for (const b of built) {
    console.log(`${b.kind.padEnd(5)} ${relative(root, b.outfile).padEnd(42)} ${(b.size / 1024).toFixed(1)} KB`);
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
