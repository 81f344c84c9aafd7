import { describe, expect, it } from 'vitest';
import { parseInfo } from '../info.ts';
import { historyOf, holdsHistory } from './history.ts';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const info = (lines: string[]) => parseInfo(lines.join('\r\n'));

describe('replication history', () => {
  it('holds a promotion\'s history as its current id, or as the id it continued', () => {
    const fresh = historyOf(info([`master_replid:${a}`, 'master_replid2:0000000000000000000000000000000000000000', 'second_repl_offset:-1']));
    expect(fresh).toEqual({ replid: a, replid2: undefined, secondOffset: -1 });
    expect(holdsHistory(fresh, a)).toBe(true);
    expect(holdsHistory(fresh, b)).toBe(false);
    // promoted after replicating a: a new id b, a kept up to offset 1234
    const continued = historyOf(info([`master_replid:${b}`, `master_replid2:${a}`, 'second_repl_offset:1234']));
    expect(holdsHistory(continued, a)).toBe(true);
    expect(holdsHistory(continued, b)).toBe(true);
  });

  it('a server that resynchronised from elsewhere holds neither', () => {
    expect(holdsHistory(historyOf(info([`master_replid:${'c'.repeat(40)}`])), a)).toBe(false);
  });
});
