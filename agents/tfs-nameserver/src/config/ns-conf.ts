import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OcfError } from '@ocfkit/runtime';
import { parseIni } from './ini.ts';

/** What the agent needs from ns.conf: where the NameServer writes, and what it listens on. */
export interface NsConf {
  path: string;
  port: number;
  /** Absolute: a relative work_dir is taken from the NameServer's working directory, the basedir. */
  workDir: string;
  devName: string;
  vip: string;
  peers: [string, string];
}

/** <basedir>/conf/ns.conf: the seed's fixed place (the NameServer gets it with -f). */
export function confPath(basedir: string): string {
  return `${basedir}/conf/ns.conf`;
}

/** Where the NameServer puts its pidfile and log: <work_dir>/logs/. */
export function nsPidfile(conf: NsConf): string {
  return `${conf.workDir}/logs/nameserver.pid`;
}
export function nsLogFile(conf: NsConf): string {
  return `${conf.workDir}/logs/nameserver.log`;
}

/**
 * The keys the NameServer cannot start without, checked the way it checks them; a missing key
 * is a configuration error (6): the same file is deployed on every node.
 */
export function parseNsConf(text: string, path: string, basedir: string): NsConf {
  const ini = parseIni(text);
  const get = (section: string, key: string): string => {
    const value = ini[section]?.[key];
    if (value === undefined || value === '') throw OcfError.configured(`${path}: [${section}] ${key} is not set`);
    return value;
  };
  const portText = get('public', 'port');
  const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) throw OcfError.configured(`${path}: [public] port ${portText} is not a port (1-65535)`);
  const list = get('nameserver', 'ip_addr_list');
  const peers = list.split('|').map((a) => a.trim()).filter(Boolean);
  if (peers.length !== 2) throw OcfError.configured(`${path}: [nameserver] ip_addr_list ${list} must be two addresses, A|B`);
  return {
    path,
    port,
    workDir: resolve(basedir, get('public', 'work_dir')),
    devName: get('public', 'dev_name'),
    vip: get('public', 'ip_addr'),
    peers: [peers[0]!, peers[1]!],
  };
}

/** Read and check ns.conf; a missing file is "not installed here" (5), unreadable a permission problem (4). */
export async function readNsConf(basedir: string): Promise<NsConf> {
  const path = confPath(basedir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw OcfError.installed(`${path} not found (basedir ${basedir})`);
    if (code === 'EACCES' || code === 'EPERM') throw OcfError.perm(`cannot read ${path}: permission denied`);
    if (code === 'EISDIR') throw OcfError.installed(`${path} is a directory`);
    throw OcfError.generic(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseNsConf(text, path, basedir);
}
