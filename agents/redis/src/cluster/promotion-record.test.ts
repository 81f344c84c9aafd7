import { describe, expect, it } from 'vitest';
import { describeRecord, formatRecord, parseRecord } from './promotion-record.ts';

const replid = '5bfb0048e0f3f337373f3b1eb12c2f728057bbd5';

describe('promotion record', () => {
  it('round-trips, with the node name last whatever it holds', () => {
    const record = { generation: 7, node: 'db:east-2', replid, at: 1796115928643 };
    expect(formatRecord(record)).toBe(`7:${replid}:1796115928643:db:east-2`);
    expect(parseRecord(formatRecord(record))).toEqual(record);
    expect(parseRecord(`3:-:1:node1\n`)).toEqual({ generation: 3, node: 'node1', replid: '-', at: 1 });
  });

  it('a value that is not a record is no record', () => {
    for (const text of ['', 'node1', `x:${replid}:1:node1`, `1:${replid.slice(1)}:1:node1`, `1:${replid}:1:`]) expect(parseRecord(text)).toBeUndefined();
  });

  it('describes itself for reasons', () => {
    expect(describeRecord({ generation: 8, node: 'node2', replid, at: 0 })).toBe('promotion 8 of node2 (replication id 5bfb0048e0f3...)');
    expect(describeRecord({ generation: 1, node: 'node2', replid: '-', at: 0 })).toBe('promotion 1 of node2');
  });
});
