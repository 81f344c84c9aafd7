// Man pages a package installs: ocf_ocfkit_<agent>(7) generated from the agent's declaration, and
// the hand-written pages of the extra commands (tools/package/man/<command>.<section>).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule } from '../../bundle/src/load-agent.mjs';
import { isoDate } from './source-date.mjs';

export const MAN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../man');

let runtime;
async function renderer(root) {
  runtime ??= await loadModule(join(root, 'packages/runtime/src/index.ts'));
  return runtime.renderManPage;
}

/** A hand-written page, its date set to the build's (the `.TH` line holds @DATE@ and @VERSION@). */
export function commandPage(name, epoch, version) {
  for (const section of [1, 8]) {
    const file = join(MAN_DIR, `${name}.${section}`);
    if (existsSync(file)) return { name, section, text: readFileSync(file, 'utf8').replaceAll('@DATE@', isoDate(epoch)).replaceAll('@VERSION@', version) };
  }
  throw new Error(`no man page for ${name} in ${MAN_DIR}`);
}

export async function agentPages(root, entry, epoch) {
  const render = await renderer(root);
  return [
    { name: `ocf_ocfkit_${entry.name}`, section: 7, text: render(entry.agent, isoDate(epoch), { readme: readFileSync(join(entry.dir, 'README.md'), 'utf8') }) },
    ...entry.bins.map((bin) => commandPage(bin.name, epoch, entry.agent.version)),
  ];
}
