import { describe, expect, it } from 'vitest';
import demo from '../tests/fixtures/demo-agent.ts';
import { execute } from './execute.ts';

const base = { OCF_RESOURCE_INSTANCE: 'd1', OCF_RESKEY_state: '/tmp/x' };
const run = (action: string | undefined, env: Record<string, string> = {}) => execute(demo, action, { ...base, ...env });

describe('execute', () => {
  it('meta-data needs nothing and picks the flavour from the OCF version', async () => {
    const dtd = await execute(demo, 'meta-data', {});
    expect(dtd.code).toBe(0);
    expect(dtd.stdout).toContain('<!DOCTYPE');
    const ocf11 = await execute(demo, 'meta-data', { OCF_RA_VERSION_MAJOR: '1', OCF_RA_VERSION_MINOR: '1' });
    expect(ocf11.stdout).toContain('<version>1.1</version>');
  });
  it('answers an unknown action with 3 and no action with 2', async () => {
    expect(await run('frob')).toMatchObject({ code: 3, reason: expect.stringContaining("action 'frob' is not supported") });
    expect(await run(undefined)).toMatchObject({ code: 2, reason: expect.stringContaining('no action given') });
    expect(await run('promote')).toMatchObject({ code: 3 });
  });
  it('applies the ocf-rarun policy to an invalid configuration', async () => {
    const env = { OCF_RESKEY_state: '' };
    expect(await run('stop', env)).toEqual({ code: 0 });
    expect(await run('monitor', env)).toEqual({ code: 7 });
    expect(await run('monitor', { ...env, OCF_RESKEY_CRM_meta_interval: '10000' })).toEqual({ code: 1, reason: 'parameter state is required but not set' });
    expect(await run('start', env)).toEqual({ code: 6, reason: 'parameter state is required but not set' });
    expect(await run('start', { OCF_RESKEY_level: 'ten' })).toEqual({ code: 6, reason: "parameter level: expected an integer from 1 to 9, got 'ten'" });
  });
  it('validates before start with the validation code', async () => {
    expect(await run('start', { OCF_RESKEY_state: '/missing' })).toEqual({ code: 5, reason: 'state /missing: not found' });
  });
  it('passes an OcfError through and turns a crash into 1 with a reason', async () => {
    expect(await run('start', { OCF_RESKEY_mode: 'b' })).toEqual({ code: 4, reason: 'mode b needs root: run as root' });
    expect(await run('monitor', { OCF_RESKEY_level: '9' })).toEqual({ code: 1, reason: 'monitor failed unexpectedly: boom' });
  });
  it('lets monitor say degraded with a reason', async () => {
    expect(await run('monitor', { OCF_RESKEY_level: '8' })).toEqual({ code: 190, reason: 'level 8 is degraded' });
  });
  it('never fails notify', async () => {
    expect(await run('notify')).toEqual({ code: 0 });
  });
  it('ends an action that outlives its budget before Pacemaker would, with a reason', async () => {
    const started = Date.now();
    const outcome = await run('start', { OCF_RESKEY_delay: '60s', OCF_RESKEY_CRM_meta_timeout: '1500' });
    expect(outcome.code).toBe(1);
    expect(outcome.reason).toBe('start did not finish within 1s of its 1.5s timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
