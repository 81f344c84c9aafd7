import { describe } from 'vitest';
import { unavailable } from '@ocfkit/testkit';
import { needs } from './helpers.ts';
import { lifecycle } from './lifecycle.ts';
import { NGINX, nginx } from './nginx.ts';

describe.skipIf(unavailable(needs(NGINX), 'nginx'))('nginx (Debian package)', () => {
  lifecycle('in the foreground (daemon off;), workers as www-data', () => nginx(false), { victimIs: 'the master' });
  lifecycle('daemonizing, with its own pidfile, workers as www-data', () => nginx(true), { victimIs: 'the master' });
});
