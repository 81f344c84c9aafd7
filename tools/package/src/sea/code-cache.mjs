// The standalone binary's code caches: for each target (agent or command), V8's bytecode of every
// function that a set of harmless calls ran, made by the same Node.js binary that will load it
// (V8 accepts a cache only from its own version and flags, for the same source). A call then
// compiles nothing that those calls covered; anything else compiles lazily as usual.
//
// The calls (warmUps) only read: usage, methods, and validate-all and a probe with no
// parameters (at most they look at the defaults' files and find no instance of theirs running).
// Never start, stop or a promotion. They run with an empty environment in a scratch directory, so
// that what the build machine has installed touches as little as possible of what they run; what
// they do not reach (a monitor's talk with its service) compiles at run time. The probe's run
// directory (`rundir`, which agents that keep files per instance take, as redis does) is a path
// under the scratch directory that does not exist, so that nothing is written outside it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetNames } from './entry.mjs';

const WARM_UP = join(dirname(fileURLToPath(import.meta.url)), 'warm-up.cjs');
const OCF_ENV = { OCF_ROOT: '/usr/lib/ocf' };

/** The calls each cache is made from, and the exit codes they must give (undefined: any). */
export function warmUps(target, work) {
  if (!target.agent) return { cache: [{ args: [], env: {} }] };
  return {
    cache: [
      { args: ['usage'], env: OCF_ENV, code: 0 },
      { args: ['methods'], env: OCF_ENV, code: 0 },
      { args: ['validate-all'], env: OCF_ENV },
      { args: ['monitor'], env: { ...OCF_ENV, OCF_RESKEY_CRM_meta_interval: '0', OCF_RESKEY_rundir: join(work, 'no-rundir') } },
    ],
  };
}

/** The wrapper the main script (entry.mjs) runs a bundle in: CommonJS's, with the SEA's require. */
export const wrapBundle = (code) => `(function (exports, require, module, __filename, __dirname) {${code}\n})`;

function runWarmUp(node, work, spec) {
  const file = join(work, `warm-up-${spec.name}.json`);
  writeFileSync(file, JSON.stringify(spec));
  // stdio ignored: the agents write their answers straight to fd 1 and 2
  const r = spawnSync(node, [WARM_UP, file], { cwd: work, env: { PATH: '/usr/bin:/bin' }, stdio: 'ignore', timeout: 60_000 });
  return r.status;
}

/**
 * For each target ({ name, agent, source }: source is the wrapped bundle's path), writes its code
 * caches into `work`; returns { [assetName]: path } for them.
 */
export function makeCodeCaches({ node, work, targets }) {
  const assets = {};
  for (const target of targets) {
    for (const [kind, runs] of Object.entries(warmUps(target, work))) {
      const asset = assetNames(target.name)[kind];
      const out = join(work, asset);
      const report = `${out}.codes.json`;
      const status = runWarmUp(node, work, { name: target.name, source: target.source, out, report, runs });
      if (status !== 0) throw new Error(`code cache of ${target.name} (${kind}): the warm-up exited ${status}`);
      const codes = JSON.parse(readFileSync(report, 'utf8'));
      runs.forEach((run, i) => {
        if (run.code !== undefined && codes[i] !== run.code) throw new Error(`code cache of ${target.name}: \`${[target.name, ...run.args].join(' ')}\` exited ${codes[i]}, expected ${run.code}`);
      });
      if (runWarmUp(node, work, { name: target.name, source: target.source, check: out }) !== 0) throw new Error(`${asset}: V8 rejects the code cache it just made`);
      assets[asset] = out;
    }
  }
  return assets;
}
