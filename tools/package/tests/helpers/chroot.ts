import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An executable on the host that runs `path` inside `root` (optionally as `user`), for the test
 * kit's runExecutable, which spawns `launcher ACTION` with Pacemaker's environment.
 */
export function chrootLauncher(dir: string, root: string, path: string, user?: string): string {
  const launcher = join(dir, `${path.replace(/\//g, '_')}${user ? `-as-${user.replace(':', '_')}` : ''}`);
  if (!existsSync(launcher)) {
    writeFileSync(launcher, `#!/bin/sh\nexec /usr/sbin/chroot ${user ? `--userspec=${user} ` : ''}${root} ${path} "$@"\n`);
    chmodSync(launcher, 0o755);
  }
  return launcher;
}
