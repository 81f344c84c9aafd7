import { join } from 'node:path';
import { RealService, dirOwnedBy, freePort, htdocs, workDir, write } from './helpers.ts';

// Debian's lighttpd: one process that serves, `-D` in the foreground or daemonizing with its
// pidfile. With server.username it binds its port as root and then setuid()s to www-data in that
// same process (the memcached `-u` shape): the agent's user stays the default root, and the
// process it launched no longer looks like root's.
export const LIGHTTPD = '/usr/sbin/lighttpd';

export async function lighttpd(daemon: boolean, dropTo?: string): Promise<RealService> {
  const name = `lighttpd-${daemon ? 'daemon' : 'fg'}${dropTo ? '-drop' : ''}`;
  const dir = workDir(name);
  const port = await freePort();
  // lighttpd opens its error log after dropping privileges (Debian: /var/log/lighttpd is www-data's)
  const logs = dropTo ? dirOwnedBy(join(dir, 'log'), dropTo) : dir;
  const conf = write(
    join(dir, 'lighttpd.conf'),
    [
      `server.document-root = "${htdocs(dir)}"`,
      `server.bind = "127.0.0.1"`,
      `server.port = ${port}`,
      `server.pid-file = "${join(dir, 'lighttpd.pid')}"`,
      `server.errorlog = "${join(logs, 'error.log')}"`,
      ...(dropTo ? [`server.username = "${dropTo}"`, `server.groupname = "${dropTo}"`] : []),
      '',
    ].join('\n'),
  );
  return new RealService(name, dir, port, {
    service_path: LIGHTTPD,
    service_args: `${daemon ? '' : '-D '}-f ${conf}`,
    probe_url: `http://127.0.0.1:${port}/health`,
    log_file: join(dir, 'output.log'),
    ...(daemon ? { daemonize: 'true', pidfile: join(dir, 'lighttpd.pid') } : { pidfile: join(dir, 'agent.pid') }),
  });
}
