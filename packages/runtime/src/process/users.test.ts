import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailable } from '../../tests/helpers/availability.ts';
import { lookupGroup, lookupUser, supplementaryGroups, type UserDatabases } from './users.ts';

/** A system user listed in exactly one group (Debian: postgres in ssl-cert), if there is one. */
const member = (() => {
  const users = new Set(readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':')[0]));
  const groups = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .map(([, , gid, members]) => ({ gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) }));
  const count = (user: string) => groups.filter((group) => group.members.includes(user)).length;
  for (const group of groups) {
    const user = group.members.find((name) => users.has(name) && count(name) === 1);
    if (user) return { user, gid: group.gid };
  }
  return undefined;
})();

let dir: string;
let local: UserDatabases;
let empty: UserDatabases;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ocfkit-users-'));
  local = { passwd: join(dir, 'passwd'), group: join(dir, 'group') };
  empty = { passwd: join(dir, 'passwd.empty'), group: join(dir, 'group.empty') };
  await writeFile(
    local.passwd,
    [
      '# comment',
      '+nisuser::::::',
      'ocfk-alice:x:2001:3000:Alice,,,:/home/alice:/bin/bash',
      'ocfk-bob:x:2002:3000::/srv/bob:/usr/sbin/nologin',
      'broken:x:notanumber:1::/:/bin/sh',
      '',
    ].join('\n'),
  );
  await writeFile(local.group, ['ocfk-staff:x:3000:', 'ocfk-ssl:x:3001:ocfk-carol,ocfk-alice', 'ocfk-web:x:3002:ocfk-alice', 'ocfk-db:x:3003:ocfk-bob', ''].join('\n'));
  await writeFile(empty.passwd, '');
  await writeFile(empty.group, '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lookupUser', () => {
  it('reads a user from the passwd file, by name or by uid', async () => {
    const alice = { name: 'ocfk-alice', uid: 2001, gid: 3000, home: '/home/alice', shell: '/bin/bash' };
    expect(await lookupUser('ocfk-alice', local)).toEqual(alice);
    expect(await lookupUser('2001', local)).toEqual(alice);
    expect(await lookupUser('ocfk-bob', local)).toEqual({ name: 'ocfk-bob', uid: 2002, gid: 3000, home: '/srv/bob', shell: '/usr/sbin/nologin' });
  });

  it('is undefined for an unknown user, a broken line, and names that cannot exist', async () => {
    for (const name of ['ocfk-nobody-here', 'broken', '', '-x', 'a:b', 'a\nb', '+nisuser', '99999']) {
      expect(await lookupUser(name, local)).toBeUndefined();
    }
  });

  it('asks NSS (getent) for users the file does not list', async () => {
    expect(await lookupUser('root', empty)).toMatchObject({ name: 'root', uid: 0, gid: 0, home: '/root' });
    expect(await lookupUser('0', empty)).toMatchObject({ name: 'root', uid: 0 });
  });

  it('finds system users in /etc/passwd', async () => {
    expect(await lookupUser('root')).toMatchObject({ name: 'root', uid: 0, gid: 0 });
    expect(await lookupUser('ocfk-no-such-user')).toBeUndefined();
  });
});

describe('lookupGroup', () => {
  it('reads a group from the group file, by name or by gid', async () => {
    const ssl = { name: 'ocfk-ssl', gid: 3001, members: ['ocfk-carol', 'ocfk-alice'] };
    expect(await lookupGroup('ocfk-ssl', local)).toEqual(ssl);
    expect(await lookupGroup('3001', local)).toEqual(ssl);
    expect(await lookupGroup('ocfk-staff', local)).toEqual({ name: 'ocfk-staff', gid: 3000, members: [] });
    expect(await lookupGroup('ocfk-none', local)).toBeUndefined();
  });

  it('asks NSS (getent) for groups the file does not list', async () => {
    expect(await lookupGroup('root', empty)).toMatchObject({ name: 'root', gid: 0 });
    expect(await lookupGroup('0', empty)).toMatchObject({ name: 'root', gid: 0 });
    expect(await lookupGroup('ocfk-no-such-group', empty)).toBeUndefined();
  });
});

describe('supplementaryGroups', () => {
  it('is the primary group plus every group listing the user, sorted', async () => {
    expect(await supplementaryGroups({ name: 'ocfk-alice', gid: 3000 }, local)).toEqual([3000, 3001, 3002]);
    expect(await supplementaryGroups({ name: 'ocfk-bob', gid: 3000 }, local)).toEqual([3000, 3003]);
    expect(await supplementaryGroups({ name: 'ocfk-dave', gid: 3000 }, local)).toEqual([3000]);
  });

  it.skipIf(unavailable({ ok: member !== undefined, why: 'no user of /etc/passwd is listed in exactly one group of /etc/group (tools/setup.sh adds ocfkit-member)' }, 'a user with one supplementary group'))('asks NSS (getent initgroups) for the groups the file does not list', async () => {
    const { user, gid } = member!;
    const found = (await lookupUser(user))!;
    expect(await supplementaryGroups(found, empty)).toEqual([...new Set([found.gid, gid])].sort((a, b) => a - b));
  });
});
