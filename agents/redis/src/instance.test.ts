import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathsOf, type RedisContext } from './instance.ts';

const ctx = (rundir: string, pidfile_name = 'redis-server.pid', socket_name = 'redis.sock') =>
  ({ instance: 'cache', params: { rundir, pidfile_name, socket_name } }) as unknown as RedisContext;

describe('pathsOf', () => {
  it('gives what path.join gives, however rundir is written', () => {
    for (const rundir of ['/run/redis', '/run/redis/', '/', '/run//redis/./', '/var/run/../run/redis', '/run/redis/..']) {
      const paths = pathsOf(ctx(rundir, 'r.pid', 'r.sock'));
      expect(paths, rundir).toEqual({
        pidfile: join(rundir, 'r.pid'),
        socket: join(rundir, 'r.sock'),
        state: join(rundir, '.ocfkit-cache.json'),
        configCache: join(rundir, '.ocfkit-cache.redis-conf.json'),
        startLog: join(rundir, '.r.pid.start.log'),
      });
    }
  });
});
