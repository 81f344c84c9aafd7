import { describe } from 'vitest';
import { unavailable } from '@ocfkit/testkit';
import { needs } from './helpers.ts';
import { lifecycle } from './lifecycle.ts';
import { APACHE2CTL, apache2 } from './apache2.ts';

describe.skipIf(unavailable(needs(APACHE2CTL, '/usr/sbin/apache2'), 'apache2'))('apache2 (Debian package) through apache2ctl', () => {
  lifecycle('apache2ctl -DFOREGROUND (apache2 a child of the wrapper)', () => apache2(false), { victimIs: 'the apache2 master' });
  lifecycle('apachectl start (daemonizing, its own pidfile)', () => apache2(true), { victimIs: 'the apache2 master' });
});
