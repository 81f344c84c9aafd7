import { describe, expect, it } from 'vitest';
import { OcfError } from '@ocfkit/runtime';
import { parseIni } from './ini.ts';
import { nsLogFile, nsPidfile, parseNsConf } from './ns-conf.ts';

const conf = (body: string) => () => parseNsConf(body, '/opt/tfs/conf/ns.conf', '/opt/tfs');

const GOOD = `
# TFS NameServer
[public]
log_size=1073741824
port = 3100
work_dir=/data/tfs   # trailing comment
dev_name= eth0
ip_addr = 10.0.0.100

[nameserver]
ip_addr_list = 10.0.0.1|10.0.0.2
`;

describe('ns.conf', () => {
  it('reads the keys the NameServer needs', () => {
    const ns = conf(GOOD)();
    expect(ns).toEqual({ path: '/opt/tfs/conf/ns.conf', port: 3100, workDir: '/data/tfs', devName: 'eth0', vip: '10.0.0.100', peers: ['10.0.0.1', '10.0.0.2'] });
    expect(nsPidfile(ns)).toBe('/data/tfs/logs/nameserver.pid');
    expect(nsLogFile(ns)).toBe('/data/tfs/logs/nameserver.log');
  });

  it('takes a relative work_dir from the basedir (the NameServer\'s working directory)', () => {
    expect(conf(GOOD.replace('/data/tfs', '.'))().workDir).toBe('/opt/tfs');
  });

  it('names the missing key, with exit 6', () => {
    const error = (() => {
      try {
        conf(GOOD.replace('dev_name= eth0', ''))();
      } catch (e) {
        return e as OcfError;
      }
    })();
    expect(error).toBeInstanceOf(OcfError);
    expect(error?.code).toBe(6);
    expect(error?.reason).toBe('/opt/tfs/conf/ns.conf: [public] dev_name is not set');
  });

  it('wants a port and exactly two peers', () => {
    expect(conf(GOOD.replace('port = 3100', 'port = 70000'))).toThrow('/opt/tfs/conf/ns.conf: [public] port 70000 is not a port (1-65535)');
    expect(conf(GOOD.replace('10.0.0.1|10.0.0.2', '10.0.0.1'))).toThrow('[nameserver] ip_addr_list 10.0.0.1 must be two addresses, A|B');
  });

  it('parses tbsys ini files', () => {
    expect(parseIni('a=1\n[s]\nk = v = w\n; not a comment in tbsys\n[t]\n')).toEqual({ '': { a: '1' }, s: { k: 'v = w' }, t: {} });
  });
});
