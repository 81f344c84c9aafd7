import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type { Availability } from '@ocfkit/testkit/availability';

// The lab's tests import these with the lab's own checks; they live in the test kit. Its
// availability entry alone: the lab's code is also bundled to run outside vitest (npm run
// reliability), where the kit's index would bring vitest along.
export { inCI, unavailable, type Availability } from '@ocfkit/testkit/availability';

const NEEDED = [
  'bash', 'ip', 'unshare', 'nsenter', 'setsid', 'setpriv', 'flock', 'mount', 'umount',
  'corosync', 'corosync-cfgtool', 'pacemakerd', 'crm_mon', 'cibadmin', 'crm_attribute',
];

function onPath(command: string): boolean {
  // sbin directories are often missing from a developer's PATH while the daemons live there.
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  return dirs.some((dir) => {
    try {
      accessSync(`${dir}/${command}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

let cached: Availability | undefined;

/** Whether a lab can run here: root, the tools installed, and namespaces allowed. */
export function labAvailable(): Availability {
  cached ??= check();
  return cached;
}

/**
 * Where the lab finds pacemaker-remoted (lib/common.sh says the same): OCFKIT_LAB_REMOTED, PATH, or
 * unpacked by tools/setup.sh (Debian's pacemaker-remote conflicts with pacemaker: installing it
 * would remove pacemaker).
 */
export const REMOTED_UNPACKED = '/var/cache/ocfkit/pacemaker-remote/usr/sbin/pacemaker-remoted';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether a lab with Pacemaker Remote nodes (`up N --remote R`) can run here. */
export function remoteLabAvailable(): Availability {
  const lab = labAvailable();
  if (!lab.ok) return lab;
  const given = process.env.OCFKIT_LAB_REMOTED;
  if (given ? executable(given) : onPath('pacemaker-remoted') || executable(REMOTED_UNPACKED)) return { ok: true };
  return { ok: false, why: `no pacemaker-remoted (${given ? `OCFKIT_LAB_REMOTED=${given} is not executable` : `not on PATH, not at ${REMOTED_UNPACKED}: run tools/setup.sh`})` };
}

function check(): Availability {
  if (process.platform !== 'linux') return { ok: false, why: `needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root (namespaces, mounts, daemons)' };
  const missing = NEEDED.filter((c) => !onPath(c));
  if (missing.length > 0) return { ok: false, why: `missing commands: ${missing.join(', ')}` };
  // Root in a container without CAP_SYS_ADMIN cannot create namespaces: try once.
  const probe = spawnSync('unshare', ['--net', '--mount', '--uts', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) return { ok: false, why: `cannot create namespaces: ${(probe.stderr || String(probe.error)).trim()}` };
  return { ok: true };
}
