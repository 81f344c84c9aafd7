// npm run new-agent -- <name> ["one-line description"]: a new package under agents/<name> with
// the shape every agent has (params.ts, actions/*, agent.ts, main.ts, a conformance test, a
// README with the generated parameter table). The template supervises a program through its
// pidfile, so it builds, runs and passes ocf-tester before the first line of real work.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '../template');

export function validName(name) {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name);
}

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

/** Write agents/<name> under `root`; returns the files written. Refuses to overwrite. */
export function createAgent(root, name, description = `Runs ${name} as a cluster resource`) {
  if (!validName(name)) throw new Error(`agent name '${name}': use lower case words separated by dashes (e.g. my-service)`);
  const target = join(root, 'agents', name);
  if (existsSync(target)) throw new Error(`${target} already exists`);
  const written = [];
  for (const file of walk(TEMPLATE)) {
    const out = join(target, relative(TEMPLATE, file).replace(/\.tmpl$/, ''));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, readFileSync(file, 'utf8').replaceAll('__NAME__', name).replaceAll('__DESCRIPTION__', description));
    written.push(out);
  }
  return written;
}
