import { describe, expect, it } from 'vitest';
import { nodeInfo, satisfiesMinimum } from './node-info.ts';

describe('satisfiesMinimum', () => {
  it.for([
    ['v18.20.4', '>=18.19', true],
    ['v18.19.0', '>=18.19', true],
    ['v18.18.2', '>=18.19', false],
    ['v20.20.2', '>=18.19', true],
    ['v16.20.0', '>= 18', false],
    ['v16.20.0', '^18 || ^20', true],
  ] as const)('%s against %s: %s', ([version, range, ok]) => {
    expect(satisfiesMinimum(version, range)).toBe(ok);
  });
});

describe('nodeInfo', () => {
  it('reports what the node binary was built with', () => {
    const vars = process.config.variables as Record<string, unknown>;
    const info = nodeInfo(process.execPath);
    expect(info).toEqual({ version: process.version, snapshot: vars.node_use_node_snapshot === true, codeCache: vars.node_use_node_code_cache === true });
  });
  it('says why when the node cannot run', () => {
    expect(nodeInfo('/nonexistent/node')).toEqual({ error: expect.stringContaining('ENOENT') });
  });
});
