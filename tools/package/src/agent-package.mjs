// One agent as ocfkit-<agent>: the bundle at /usr/lib/ocf/resource.d/ocfkit/<agent> (what
// Pacemaker calls ocf:ocfkit:<agent>), its extra commands in /usr/bin, its man pages, README,
// copyright and changelog. It runs on the distribution's own Node.js 18.19 or newer.
import { join } from 'node:path';
import { bundledPackages } from './agents.mjs';
import { renderCopyright } from './copyright.mjs';
import { buildDeb } from './deb.mjs';
import { agentPages } from './man-pages.mjs';
import { buildRpm } from './rpm.mjs';
import { isoDate } from './source-date.mjs';
import { OCF_DIR, agentFiles } from './stage.mjs';

export const REVISION = '1';

/**
 * The Node.js an agent needs, as each family spells it. Debian 12 has nodejs 18.20.4+dfsg and
 * Ubuntu 24.04 18.19.1+dfsg, neither with an epoch. RHEL and Fedora give nodejs Epoch 1, so a bare
 * `nodejs >= 18.19` would be met by RHEL 9's 1:16: the epoch must be written. SUSE's nodejsNN
 * packages provide `nodejs = <version>` without one (which `>= 1:18.19` never meets), and both
 * families provide `nodejs(engine) = <version>`: either satisfies the rich dependency, and a
 * Node older than 18.19 satisfies neither. Rich dependencies need rpm 4.13 (RHEL 8, SLE 15).
 */
export const DEB_NODE = 'nodejs (>= 18.19)';
export const RPM_NODE = '(nodejs >= 1:18.19 or nodejs(engine) >= 18.19)';

/** The standalone package takes over these names and paths (see standalone-package.mjs). */
export const STANDALONE = 'ocfkit-standalone';

/** Lines of at most 79 characters (Debian's extended description; RPM's reads the same). */
export function wrap(text, width = 79) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export async function agentSpec(root, entry, epoch) {
  const pkg = `ocfkit-${entry.name}`;
  const { agent } = entry;
  const bundled = await bundledPackages(root, [entry.entry, ...entry.bins.map((b) => b.entry)]);
  const commands = entry.bins.length ? ` and the ${entry.bins.map((b) => b.name).join(', ')} command` : '';
  return {
    pkg,
    upstreamVersion: agent.version,
    summary: `OCF resource agent ocf:ocfkit:${entry.name} for Pacemaker`,
    description: [
      ...wrap(`${agent.shortdesc}.`),
      '',
      ...wrap(`Installs ocf:ocfkit:${entry.name}${commands}: one self-contained JavaScript file run by the distribution's Node.js (18.19 or newer), built on the ocfkit runtime. See ocf_ocfkit_${entry.name}(7).`),
    ],
    files: agentFiles(root, entry, await agentPages(root, entry, epoch)),
    readme: join(entry.dir, 'README.md'),
    copyright: renderCopyright({ year: isoDate(epoch).slice(0, 4), bundled }),
    changelog: `ocfkit ${agent.version}.`,
  };
}

export async function buildAgentDeb(root, entry, outDir, epoch) {
  const spec = await agentSpec(root, entry, epoch);
  return buildDeb(
    {
      ...spec,
      version: `${spec.upstreamVersion}-${REVISION}`,
      arch: 'all',
      files: { ...spec.files, [`usr/share/doc/${spec.pkg}/README.md`]: { from: spec.readme } },
      control: { Depends: DEB_NODE, Recommends: 'pacemaker | pacemaker-remote', Conflicts: STANDALONE },
      overrides: [
        // a first upload to the Debian archive closes its ITP bug; this package is not uploaded there
        `${spec.pkg}: initial-upload-closes-no-bugs *`,
      ],
    },
    outDir,
    epoch,
  );
}

export async function buildAgentRpm(root, entry, outDir, epoch) {
  const spec = await agentSpec(root, entry, epoch);
  return buildRpm(
    {
      ...spec,
      version: spec.upstreamVersion,
      release: REVISION,
      arch: 'noarch',
      dirs: [OCF_DIR],
      tags: [`Requires: ${RPM_NODE}`, 'Recommends: pacemaker', `Conflicts: ${STANDALONE}`],
    },
    outDir,
    epoch,
  );
}
