import { readFileSync } from 'node:fs';
import { OCF } from '../exit-codes.ts';
import { OcfError } from '../ocf-error.ts';
import { runCommand } from './run-command.ts';

export interface UserInfo {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupInfo {
  name: string;
  gid: number;
  /** Users listed as members (not those who have it as their primary group). */
  members: string[];
}

/** Where the local databases live (tests point these at their own files). */
export interface UserDatabases {
  passwd: string;
  group: string;
}

const SYSTEM: UserDatabases = { passwd: '/etc/passwd', group: '/etc/group' };
/** getent asks NSS, which may be LDAP over a network: never wait forever for it. */
const GETENT_TIMEOUT_MS = 10_000;
const GETENT_ENV = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LC_ALL: 'C' };

/** A name that could be in the databases: no separators, and no leading '-' (getent would take it as an option). */
function plausible(name: string): boolean {
  return name !== '' && !name.startsWith('-') && !/[:\n\0]/.test(name);
}

const numeric = (name: string) => /^[0-9]+$/.test(name);

async function lines(path: string): Promise<string[][]> {
  try {
    // synchronous: a small local file, read on the monitor path (see proc-info.ts)
    const text = readFileSync(path, 'utf8');
    // '+'/'-' lines are NIS compat markers, not entries
    return text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !/^[+-]/.test(line)).map((line) => line.split(':'));
  } catch {
    return [];
  }
}

/** getent's exit code for "no such key" (the only answer that means the name does not exist). */
const GETENT_NOT_FOUND = 2;

/**
 * Ask NSS (LDAP, sssd, systemd's dynamic users) what the files do not know. "Not found" is an
 * answer; NSS timing out or failing is not one, and must not pass for it: a user missing on
 * this node moves the resource away (5), while a directory server that is slow right now is a
 * transient failure (1) that a retry may cure.
 */
async function getent(database: string, key: string): Promise<string[][]> {
  let result;
  try {
    result = await runCommand('getent', [database, key], { env: GETENT_ENV, timeoutMs: GETENT_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof OcfError && error.code === OCF.ERR_INSTALLED) return []; // no getent: the files are all there is
    throw OcfError.generic(`cannot look up ${database} entry ${key}: ${error instanceof OcfError ? error.reason : String(error)}`, { cause: error });
  }
  if (result.code === GETENT_NOT_FOUND) return [];
  if (result.code !== 0) throw OcfError.generic(`cannot look up ${database} entry ${key}: getent exited with code ${result.code ?? result.signal}`);
  return result.stdout.split('\n').filter(Boolean).map((line) => line.split(':'));
}

function toUser(fields: string[]): UserInfo | undefined {
  const [name, , uid, gid, , home, shell] = fields;
  if (name === undefined || !numeric(uid ?? '') || !numeric(gid ?? '')) return undefined;
  return { name, uid: Number(uid), gid: Number(gid), home: home ?? '', shell: shell ?? '' };
}

function toGroup(fields: string[]): GroupInfo | undefined {
  const [name, , gid, members] = fields;
  if (name === undefined || !numeric(gid ?? '')) return undefined;
  return { name, gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) };
}

/** By name first; a numeric name ("1000") that is not a name is taken as an id. */
function pick<T extends { name: string }>(entries: (T | undefined)[], name: string, id: (entry: T) => number): T | undefined {
  const valid = entries.filter((entry): entry is T => entry !== undefined);
  return valid.find((entry) => entry.name === name) ?? (numeric(name) ? valid.find((entry) => id(entry) === Number(name)) : undefined);
}

/**
 * A user from /etc/passwd, else from NSS (`getent passwd NAME`); undefined when nobody has that
 * name or uid. Throws OCF_ERR_GENERIC when NSS cannot answer (timeout, LDAP down).
 */
export async function lookupUser(name: string, databases: UserDatabases = SYSTEM): Promise<UserInfo | undefined> {
  if (!plausible(name)) return undefined;
  return (
    pick((await lines(databases.passwd)).map(toUser), name, (user) => user.uid) ??
    pick((await getent('passwd', name)).map(toUser), name, (user) => user.uid)
  );
}

/** A group from /etc/group, else from NSS (`getent group NAME`). */
export async function lookupGroup(name: string, databases: UserDatabases = SYSTEM): Promise<GroupInfo | undefined> {
  if (!plausible(name)) return undefined;
  return (
    pick((await lines(databases.group)).map(toGroup), name, (group) => group.gid) ??
    pick((await getent('group', name)).map(toGroup), name, (group) => group.gid)
  );
}

/**
 * The groups a login of `user` gets (what initgroups(3) sets): its primary group, the groups of
 * /etc/group that list it, and, through `getent initgroups`, those NSS adds (LDAP, sssd).
 * Sorted, no duplicates.
 */
export async function supplementaryGroups(user: Pick<UserInfo, 'name' | 'gid'>, databases: UserDatabases = SYSTEM): Promise<number[]> {
  const gids = new Set<number>([user.gid]);
  for (const group of (await lines(databases.group)).map(toGroup)) {
    if (group?.members.includes(user.name)) gids.add(group.gid);
  }
  if (plausible(user.name)) {
    // `getent initgroups NAME` prints "NAME  gid gid ..." (blank separated, no colons)
    for (const [line] of await getent('initgroups', user.name)) {
      for (const word of (line ?? '').trim().split(/\s+/).slice(1)) if (numeric(word)) gids.add(Number(word));
    }
  }
  return [...gids].sort((a, b) => a - b);
}
