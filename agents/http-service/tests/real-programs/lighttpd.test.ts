import { describe } from 'vitest';
import { unavailable } from '@ocfkit/testkit';
import { needs } from './helpers.ts';
import { lifecycle } from './lifecycle.ts';
import { LIGHTTPD, lighttpd } from './lighttpd.ts';

describe.skipIf(unavailable(needs(LIGHTTPD), 'lighttpd'))('lighttpd (Debian package)', () => {
  lifecycle('in the foreground (-D)', () => lighttpd(false));
  lifecycle('daemonizing, with its own pidfile', () => lighttpd(true));
  lifecycle('in the foreground, binding as root then running as www-data (user=root)', () => lighttpd(false, 'www-data'));
  lifecycle('daemonizing, binding as root then running as www-data (user=root)', () => lighttpd(true, 'www-data'));
});
