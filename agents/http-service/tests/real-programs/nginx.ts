import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RealService, freePort, workDir, write } from './helpers.ts';

// Debian's nginx as operators run it: a master as root with workers as www-data (the `user`
// directive: it binds as root, then its workers drop privileges), its own pidfile, both in the
// foreground (`daemon off;`, as under systemd) and daemonizing (its pidfile is then the service's).
export const NGINX = '/usr/sbin/nginx';

export async function nginx(daemon: boolean): Promise<RealService> {
  const dir = workDir(`nginx-${daemon ? 'daemon' : 'fg'}`);
  const port = await freePort();
  mkdirSync(join(dir, 'temp'));
  const temp = (what: string) => `${what}_temp_path ${join(dir, 'temp', what)};`;
  const conf = write(
    join(dir, 'nginx.conf'),
    `daemon ${daemon ? 'on' : 'off'};
user www-data;
worker_processes 2;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    location = /health { return 200 "ok\\n"; }
  }
}
`,
  );
  return new RealService(`nginx-${daemon ? 'daemon' : 'fg'}`, dir, port, {
    service_path: NGINX,
    // -e: the error log before the configuration is read (else /var/log/nginx/error.log)
    service_args: `-p ${dir}/ -e ${join(dir, 'error.log')} -c ${conf}`,
    probe_url: `http://127.0.0.1:${port}/health`,
    log_file: join(dir, 'output.log'),
    ...(daemon ? { daemonize: 'true', pidfile: join(dir, 'nginx.pid') } : { pidfile: join(dir, 'agent.pid') }),
  });
}
