import { describe, expect, it } from 'vitest';
import { modeAllows, type Access } from './file-access.ts';

const file = (mode: number) => ({ mode: 0o100000 | mode, uid: 1000, gid: 100 });

describe('modeAllows', () => {
  it.for([
    ['the owner, by the owner bits', 0o600, 1000, [], 'read', true],
    ['the owner, not by the group bits', 0o070, 1000, [100], 'read', false],
    ['a member of the group, by the group bits', 0o640, 2000, [100], 'read', true],
    ['a member of the group, not by the other bits', 0o607, 2000, [100], 'write', false],
    ['anyone else, by the other bits', 0o751, 2000, [50], 'execute', true],
    ['anyone else, refused', 0o750, 2000, [50], 'execute', false],
    ['root, reading a 0000 file', 0o000, 0, [], 'read', true],
    ['root, executing a file nobody may', 0o644, 0, [], 'execute', false],
    ['root, executing a file anyone may', 0o701, 0, [], 'execute', true],
  ] as const)('%s', ([, mode, uid, gids, what, expected]) => {
    expect(modeAllows(file(mode), uid, gids, what as Access)).toBe(expected);
  });
});
