import { describe, expect, it } from 'vitest';
import { parseInfo } from './info.ts';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

describe('parseInfo', () => {
  it('reads a primary with two replicas', () => {
    const info = parseInfo(
      crlf([
        '# Server',
        'redis_version:7.0.15',
        'executable:/usr/bin/redis-server',
        '',
        '# Clients',
        'connected_clients:3',
        '',
        '# Persistence',
        'loading:0',
        'rdb_bgsave_in_progress:1',
        'aof_rewrite_in_progress:0',
        '',
        '# Replication',
        'role:master',
        'connected_slaves:2',
        'slave1:ip=10.0.0.3,port=6379,state=wait_bgsave,offset=0,lag=1',
        'slave0:ip=10.0.0.2,port=6380,state=online,offset=1234,lag=0',
        'master_failover_state:no-failover',
        'master_replid:e6d110ad0c1e2e2a4f41e0ae888674c8f5fdae08',
        'master_repl_offset:1234',
      ]),
    );
    expect(info).toMatchObject({
      version: '7.0.15',
      role: 'master',
      connectedClients: 3,
      loading: false,
      rdbBgsaveInProgress: true,
      aofRewriteInProgress: false,
      masterReplid: 'e6d110ad0c1e2e2a4f41e0ae888674c8f5fdae08',
      masterReplOffset: 1234,
      connectedSlaves: 2,
      masterHost: undefined,
      masterSyncInProgress: false,
    });
    expect(info.replicas).toEqual([
      { index: 0, ip: '10.0.0.2', port: 6380, state: 'online', offset: 1234, lag: 0 },
      { index: 1, ip: '10.0.0.3', port: 6379, state: 'wait_bgsave', offset: 0, lag: 1 },
    ]);
    expect(info.fields.get('executable')).toBe('/usr/bin/redis-server');
    expect(info.sections.get('replication')?.get('role')).toBe('master');
    expect([...info.sections.keys()]).toEqual(['server', 'clients', 'persistence', 'replication']);
  });

  it('reads a replica whose link is down, following an IPv6 primary', () => {
    const info = parseInfo(
      crlf([
        '# Replication',
        'role:slave',
        'master_host:::1',
        'master_port:6379',
        'master_link_status:down',
        'master_last_io_seconds_ago:-1',
        'master_sync_in_progress:0',
        'slave_read_repl_offset:500',
        'slave_repl_offset:500',
        'master_link_down_since_seconds:42',
        'slave_priority:100',
        'connected_slaves:0',
        'master_repl_offset:500',
      ]),
    );
    expect(info).toMatchObject({
      role: 'slave',
      masterHost: '::1',
      masterPort: 6379,
      masterLinkStatus: 'down',
      masterLastIoSecondsAgo: undefined,
      masterSyncInProgress: false,
      slaveReplOffset: 500,
      masterLinkDownSinceSeconds: 42,
      slavePriority: 100,
      connectedSlaves: 0,
      replicas: [],
    });
  });

  it('reads a replica in its initial sync', () => {
    const info = parseInfo('role:slave\nmaster_host:10.0.0.1\nmaster_port:6379\nmaster_link_status:down\nmaster_last_io_seconds_ago:3\nmaster_sync_in_progress:1\n');
    expect(info).toMatchObject({ masterSyncInProgress: true, masterLastIoSecondsAgo: 3, masterLinkStatus: 'down' });
  });

  it('counts keys over every database, and reads uptime and the last save status', () => {
    const info = parseInfo(crlf(['# Server', 'uptime_in_seconds:77', '# Persistence', 'rdb_last_bgsave_status:err', '# Keyspace', 'db0:keys=3,expires=0,avg_ttl=0', 'db5:keys=2,expires=1,avg_ttl=9']));
    expect(info).toMatchObject({ keys: 5, uptimeSeconds: 77, rdbLastSaveFailed: true });
    expect(parseInfo('role:master\n')).toMatchObject({ keys: 0, rdbLastSaveFailed: false });
  });

  it('reads the loading state', () => {
    const info = parseInfo(crlf(['# Persistence', 'loading:1', 'loading_eta_seconds:17', 'loading_loaded_perc:41.52']));
    expect(info).toMatchObject({ loading: true, loadingEtaSeconds: 17, loadingLoadedPerc: 41.52, role: undefined });
  });

  it('takes nothing for granted: empty text, unknown role, junk lines', () => {
    const info = parseInfo('junk\n:novalue\nrole:sentinel\n');
    expect(info).toMatchObject({ role: undefined, loading: false, connectedSlaves: 0, replicas: [] });
    expect([...info.fields]).toEqual([['role', 'sentinel']]);
    expect(parseInfo('').fields.size).toBe(0);
  });
});
