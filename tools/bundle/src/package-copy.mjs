// What an npm package publishes must lie inside it: `npm publish` drops a "bin" that points
// outside the package (the agents' old `../../dist/...`). A package that publishes an agent or a
// command names the file in its own "bin" (`"redis": "dist/redis"`) and the bundle is copied
// there, with, beside it:
// - a package.json saying "commonjs": the bundle is CommonJS, and under the package's own
//   "type": "module" Node would load the extension-less file as ESM;
// - for an agent, its man page ocf_ocfkit_<agent>.7, generated from the declaration (src/agent.ts
//   next to the entry), which the package lists in its "man" so npm installs it;
// - for a command, its hand-written page when there is one (tools/package/man/<name>.<section>,
//   the DEB/RPM's too), dated like the agent's.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateBundle } from './load-agent.mjs';

const COMMAND_PAGES = join(dirname(fileURLToPath(import.meta.url)), '../../package/man');

/** Where the package publishes `name`, from its "bin"; undefined when it publishes nothing. */
export function packageBin(dir, manifest, name) {
  const path = manifest.bin?.[name];
  if (!path) return undefined;
  const file = resolve(dir, path);
  if (relative(dir, file).startsWith('..')) throw new Error(`${manifest.name}: bin ${name} (${path}) is outside the package, npm would drop it`);
  return { file, manifest };
}

export async function placeInPackage({ kind, name, entry, outfile, inPackage }) {
  const dir = dirname(inPackage.file);
  await mkdir(dir, { recursive: true });
  const tmp = `${inPackage.file}.${process.pid}.tmp`;
  await copyFile(outfile, tmp);
  await chmod(tmp, 0o755);
  await rename(tmp, inPackage.file);
  await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  if (kind === 'agent') {
    const declaration = join(dirname(entry), 'agent.ts');
    if (!existsSync(declaration)) throw new Error(`${declaration} missing: the man page of ${name} is generated from it`);
    await writeFile(join(dir, `ocf_ocfkit_${name}.7`), await renderManPage(declaration));
  }
  for (const section of kind === 'bin' ? [1, 8] : []) {
    const page = join(COMMAND_PAGES, `${name}.${section}`);
    if (!existsSync(page)) continue;
    const text = (await readFile(page, 'utf8')).replaceAll('@DATE@', pageDate()).replaceAll('@VERSION@', inPackage.manifest.version);
    await writeFile(join(dir, `${name}.${section}`), text);
  }
}

/** The man page's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today. */
function pageDate() {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return (/^\d+$/.test(epoch ?? '') ? new Date(Number(epoch) * 1000) : new Date()).toISOString().slice(0, 10);
}

async function renderManPage(declaration) {
  const loaded = await evaluateBundle(
    { stdin: { contents: `export { default as agent } from './agent.ts'; export { renderManPage } from '@ocfkit/runtime';`, resolveDir: dirname(declaration), loader: 'ts' } },
    declaration,
  );
  return loaded.renderManPage(loaded.agent, pageDate());
}
