#!/usr/bin/env node
// npm run docs: rewrite the parameter table of every agent's README from its declaration, and
// write man pages to dist/man/. The docs test fails when a README is stale.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule } from '../../bundle/src/load-agent.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const runtime = await loadModule(join(root, 'packages/runtime/src/index.ts'));
mkdirSync(join(root, 'dist/man'), { recursive: true });
for (const name of readdirSync(join(root, 'agents'))) {
  const entry = join(root, 'agents', name, 'src/agent.ts');
  if (!existsSync(entry)) continue;
  const agent = (await loadModule(entry)).default;
  const readme = join(root, 'agents', name, 'README.md');
  if (existsSync(readme)) {
    writeFileSync(readme, runtime.withParamTable(readFileSync(readme, 'utf8'), agent));
    console.log(`updated ${readme}`);
  }
  writeFileSync(join(root, 'dist/man', `ocf_ocfkit_${agent.name}.7`), runtime.renderManPage(agent));
}
