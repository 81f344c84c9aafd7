import { describe, expect, it } from 'vitest';
import demo from '../../runtime/tests/fixtures/demo-agent.ts';
import { runAction } from './run-action.ts';
import { pacemakerEnv, promotableMeta } from './pacemaker-env.ts';
import { exitReason } from './reason.ts';

describe('runAction (in process)', () => {
  it('runs an action with the environment pacemaker-execd gives', async () => {
    expect(await runAction(demo, 'monitor', { params: { state: '/x' } })).toEqual({ code: 7, reason: undefined, stdout: '' });
    expect(await runAction(demo, 'start', { params: { state: '/x', mode: 'b' } })).toEqual({ code: 4, reason: 'mode b needs root: run as root', stdout: '' });
    expect((await runAction(demo, 'meta-data', { ocf11: false })).stdout).toContain('<!DOCTYPE resource-agent');
  });
});

describe('pacemakerEnv', () => {
  it('matches what was captured live: no HOME, C locale, timeout in ms, parameters as OCF_RESKEY_*', () => {
    const env = pacemakerEnv('demo', { params: { port: 6379, fast: true, unset: undefined }, meta: promotableMeta(2), timeoutMs: 5000 });
    expect(env).toMatchObject({ LC_ALL: 'C', OCF_ROOT: '/usr/lib/ocf', OCF_RESKEY_port: '6379', OCF_RESKEY_fast: 'true', OCF_RESKEY_CRM_meta_timeout: '5000', OCF_RESKEY_CRM_meta_clone: '2', OCF_RESKEY_CRM_meta_promoted_max: '1', OCF_RA_VERSION_MINOR: '1' });
    expect(env).not.toHaveProperty('HOME');
    expect(env).not.toHaveProperty('OCF_RESKEY_unset');
  });
  it('removes what `env` sets to undefined', () => {
    expect(pacemakerEnv('demo', { env: { OCF_RESOURCE_INSTANCE: undefined } })).not.toHaveProperty('OCF_RESOURCE_INSTANCE');
  });
});

describe('exitReason', () => {
  it('takes the last reason line, as Pacemaker does', () => {
    expect(exitReason('log line\nocf-exit-reason:first\nocf-exit-reason:second\n')).toBe('second');
    expect(exitReason('nothing')).toBeUndefined();
  });
});
