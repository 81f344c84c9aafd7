import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crmFailures, crmOperations, describeFailure } from './crm-operations.ts';

// Captured from a 3-node lab (Pacemaker 2.1.5) right after the monitor of an http-service resource
// found its service hung (SIGSTOP), before Pacemaker's recovery stopped it.
const xml = readFileSync(new URL('../tests/fixtures/crm-mon-web-hung.xml', import.meta.url), 'utf8');

describe('crmFailures', () => {
  it('reads each failed action: resource, task, node, exit code and reason, execution status', () => {
    const [failure, ...more] = crmFailures(xml);
    expect(more).toEqual([]);
    expect(failure).toEqual({
      opKey: 'web_monitor_2000',
      resource: 'web',
      task: 'monitor',
      node: 'node1',
      exitCode: 1,
      exitReason: 'health check http://127.0.0.1:20080/health: no answer from 127.0.0.1:20080 within 1000 ms',
      status: 'complete',
      execMs: 0,
      intervalMs: 2000,
      changedAt: Date.parse('2026-12-01T12:39:14Z'),
    });
    expect(describeFailure(failure!)).toBe(
      'web_monitor_2000 on node1: exit 1 (health check http://127.0.0.1:20080/health: no answer from 127.0.0.1:20080 within 1000 ms), complete after 0 ms',
    );
  });

  it('takes the resource id from op_key, underscores and all', () => {
    const renamed = xml.replace('op_key="web_monitor_2000"', 'op_key="my_web_monitor_2000"');
    expect(crmFailures(renamed).map((f) => f.resource)).toEqual(['my_web']);
  });

  it('finds none in output without failed actions', () => {
    expect(crmFailures(xml.replace(/<failures>[\s\S]*<\/failures>/, ''))).toEqual([]);
  });
});

describe('crmOperations', () => {
  it('lists the node history per node and resource, the same monitor call with each result it had', () => {
    expect(crmOperations(xml).map((o) => [o.node, o.resource, o.task, o.intervalMs, o.call, o.rc])).toEqual([
      ['node1', 'web', 'monitor', 2000, 18, 0],
      ['node1', 'web', 'monitor', 2000, 18, 1],
      ['node1', 'web', 'stop', 0, -1, 193],
    ]);
    expect(new Date(crmOperations(xml)[1]!.changedAt).getSeconds()).toBe(14);
  });
});
