import { describe, expect, it } from 'vitest';
import { nodeOfPort, parseNodeMap } from './node-map.ts';

describe('parseNodeMap', () => {
  it('reads tunnel_port_map as heartbeat/redis does (blanks ignored)', () => {
    const { map, problem } = parseNodeMap(' node1:6379; node2 : 6380 ;', 'port');
    expect(problem).toBeUndefined();
    expect([...map]).toEqual([
      ['node1', { port: 6379 }],
      ['node2', { port: 6380 }],
    ]);
    expect(nodeOfPort(map, 6380)).toBe('node2');
  });

  it('reads addresses, with ports, IPv6 in brackets', () => {
    const { map } = parseNodeMap('a:10.0.0.1;b:redis-b.example:6380;c:[fd00::1];d:[fd00::2]:6381', 'address');
    expect(Object.fromEntries(map)).toEqual({
      a: { host: '10.0.0.1', port: undefined },
      b: { host: 'redis-b.example', port: 6380 },
      c: { host: 'fd00::1', port: undefined },
      d: { host: 'fd00::2', port: 6381 },
    });
  });

  it.each([
    ['node1', 'port'],
    ['node1:http', 'port'],
    ['node1:70000', 'port'],
    [':6379', 'port'],
    ['a:fd00::1', 'address'],
    ['a:[10.0.0.1]', 'address'],
    ['a:host:0', 'address'],
  ] as const)('refuses %s as a %s map', (text, kind) => {
    expect(parseNodeMap(text, kind).problem).toMatch(/^"node:/);
  });
});
