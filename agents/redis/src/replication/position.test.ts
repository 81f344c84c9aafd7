import { describe, expect, it } from 'vitest';
import { parseInfo } from '../info.ts';
import { formatPosition, furthestAhead, parsePosition, positionOf, POSITION_MAX_AGE_MS } from './position.ts';

const ID = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const now = 10_000_000;

describe('positions', () => {
  it('round-trips through the attribute text', () => {
    const position = positionOf(parseInfo(`role:slave\nslave_repl_offset:42\nmaster_replid:${ID}\ndb0:keys=2,expires=0\n`), now)!;
    expect(position).toEqual({ replid: ID, offset: 42, keys: 2, at: now });
    expect(parsePosition(formatPosition(position))).toEqual(position);
    expect(parsePosition('garbage')).toBeUndefined();
  });

  it('finds the peer furthest ahead in the same history, ignoring other histories and stale records', () => {
    const own = { replid: ID, offset: 100, keys: 1, at: now };
    const peers = new Map([
      ['node2', `${ID}:150:1:${now}`],
      ['node3', `${ID}:180:1:${now}`],
      ['node4', `${OTHER}:999:1:${now}`],
      ['node5', `${ID}:999:1:${now - POSITION_MAX_AGE_MS - 1}`],
    ]);
    expect(furthestAhead(own, peers, ['node2', 'node3', 'node4', 'node5'], now)).toEqual({ node: 'node3', position: parsePosition(peers.get('node3')!) });
    expect(furthestAhead({ ...own, offset: 200 }, peers, ['node2', 'node3'], now)).toBeUndefined();
  });
});
