import { join } from 'node:path';
import { RealService, dirOwnedBy, freePort, htdocs, workDir, write } from './helpers.ts';

// Debian's apache2 through its wrapper, as Debian documents a second instance: APACHE_CONFDIR
// names a directory with its own apache2.conf and envvars, which apache2ctl sources (the APACHE_*
// variables). `apache2ctl -DFOREGROUND` keeps apache2 as a child of the wrapper shell (it does not
// exec); `apachectl start` daemonizes and apache2 writes its pidfile. A root master, www-data
// children, with the agent's default user=root.
export const APACHE2CTL = '/usr/sbin/apache2ctl';
export const APACHECTL = '/usr/sbin/apachectl';

export async function apache2(daemon: boolean): Promise<RealService> {
  const name = `apache2-${daemon ? 'daemon' : 'fg'}`;
  const dir = workDir(name);
  const port = await freePort();
  const confdir = join(dir, 'apache2');
  write(
    join(confdir, 'envvars'),
    [
      'export APACHE_RUN_USER=www-data',
      'export APACHE_RUN_GROUP=www-data',
      `export APACHE_PID_FILE=${join(dir, 'apache2.pid')}`,
      `export APACHE_RUN_DIR=${join(dir, 'run')}`,
      `export APACHE_LOCK_DIR=${join(dir, 'lock')}`,
      `export APACHE_LOG_DIR=${dirOwnedBy(join(dir, 'log'), 'www-data')}`,
      'export LANG=C',
      '',
    ].join('\n'),
  );
  const docroot = htdocs(dir);
  write(
    join(confdir, 'apache2.conf'),
    [
      'DefaultRuntimeDir ${APACHE_RUN_DIR}',
      'PidFile ${APACHE_PID_FILE}',
      'User ${APACHE_RUN_USER}',
      'Group ${APACHE_RUN_GROUP}',
      'ErrorLog ${APACHE_LOG_DIR}/error.log',
      'IncludeOptional /etc/apache2/mods-enabled/*.load',
      'IncludeOptional /etc/apache2/mods-enabled/*.conf',
      'ServerName localhost',
      `Listen 127.0.0.1:${port}`,
      `DocumentRoot ${docroot}`,
      `<Directory ${docroot}>`,
      '  Require all granted',
      '</Directory>',
      '',
    ].join('\n'),
  );
  return new RealService(name, dir, port, {
    service_path: daemon ? APACHECTL : APACHE2CTL,
    service_args: daemon ? 'start' : '-DFOREGROUND',
    environment: `APACHE_CONFDIR=${confdir}`,
    probe_url: `http://127.0.0.1:${port}/health`,
    log_file: join(dir, 'output.log'),
    ...(daemon ? { daemonize: 'true', pidfile: join(dir, 'apache2.pid') } : { pidfile: join(dir, 'agent.pid') }),
  });
}
