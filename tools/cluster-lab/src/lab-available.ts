import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

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

let cached: { ok: boolean; why?: string } | undefined;

/** Whether a lab can run here: root, the tools installed, and namespaces allowed. */
export function labAvailable(): { ok: boolean; why?: string } {
  cached ??= check();
  return cached;
}

function check(): { ok: boolean; why?: string } {
  if (process.platform !== 'linux') return { ok: false, why: `needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root (namespaces, mounts, daemons)' };
  const missing = NEEDED.filter((c) => !onPath(c));
  if (missing.length > 0) return { ok: false, why: `missing commands: ${missing.join(', ')}` };
  // Root in a container without CAP_SYS_ADMIN cannot create namespaces: try once.
  const probe = spawnSync('unshare', ['--net', '--mount', '--uts', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) return { ok: false, why: `cannot create namespaces: ${(probe.stderr || String(probe.error)).trim()}` };
  return { ok: true };
}
