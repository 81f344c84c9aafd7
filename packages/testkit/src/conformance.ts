import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAgent, ParamMap } from '@ocfkit/runtime';
import { runOcfTester } from './ocf-tester.ts';
import { promotableMeta, type CallOptions, type Params } from './pacemaker-env.ts';
import { runExecutable, type ExecutableOptions, type ExecutableResult } from './run-executable.ts';
import { validateDtd, validateOcf11 } from './metadata-schema.ts';
import { HEAVY_BUILTINS, loadedBuiltins } from './loaded-builtins.ts';

export interface ConformanceOptions {
  /** The declaration (agent.ts default export). */
  agent: AnyAgent;
  /** The built single-file executable (dist/resource.d/ocfkit/<name>). */
  executable: string;
  /** Parameters of an instance that works on this machine; called after `setup`. */
  params: () => Params;
  /** Start what the agent needs (a service binary, a config file...). */
  setup?: () => Promise<void>;
  /** Stop it all again; runs even when a check failed. */
  teardown?: () => Promise<void>;
  /** Extra environment for every call (a PATH with fake cluster tools, say). */
  env?: () => Record<string, string>;
  /** Run the promote/demote checks as a promotable clone instance. */
  promotable?: boolean;
  /** Parameters whose start can never succeed: start must fail on its own, before the budget. */
  neverStarts?: () => Params;
  /** After the final stop: describe anything of the resource still running (must be empty). */
  leftovers?: () => Promise<string[]>;
  /** Budget given to each lifecycle action (CRM_meta_timeout), default 20 s. */
  timeoutMs?: number;
}

/** ocf-tester's `nobody`. */
const NOBODY = 65534;

function callsOf(options: ConformanceOptions) {
  return (action: string, extra: ExecutableOptions = {}): Promise<ExecutableResult> =>
    runExecutable(options.executable, action, {
      agentName: options.agent.name,
      timeoutMs: options.timeoutMs,
      ...extra,
      params: extra.params ?? options.params(),
      meta: { ...(options.promotable ? promotableMeta() : {}), ...extra.meta },
      env: { ...options.env?.(), ...extra.env },
    });
}

/** stdout is only for meta-data; every failure says why. */
function expectWellBehaved(result: ExecutableResult, action: string): void {
  expect(result.signal, `${action} was killed`).toBeNull();
  if (action !== 'meta-data' && action !== 'usage' && action !== 'methods') {
    expect(result.stdout, `${action} wrote to stdout`).toBe('');
  }
  const quietCodes = action === 'monitor' ? [0, 7, 8, 190, 191] : [0];
  if (!quietCodes.includes(result.code ?? -1)) {
    expect(result.reason, `${action} exited ${result.code} without an exit reason`).toBeTruthy();
  }
}

/**
 * Everything ocf-tester checks, and what it does not: both metadata flavours valid, meta-data as
 * nobody, stdout discipline, a reason on every failure, idempotent start/stop, honest probes with
 * binaries "missing", the invalid-configuration policy, the deadline. One call per agent.
 */
export function conformance(options: ConformanceOptions): void {
  const call = callsOf(options);
  const declared = Object.keys(options.agent.params as ParamMap);
  const required = declared.filter((name) => (options.agent.params as ParamMap)[name]!.required);

  describe(`OCF conformance: ${options.agent.name}`, () => {
    beforeAll(async () => {
      await options.setup?.();
    });
    afterAll(async () => {
      await call('stop').catch(() => undefined);
      await options.teardown?.();
    });

    describe('meta-data', () => {
      it('is DTD-valid without an OCF version (as ocf-tester calls it), as nobody, with nothing set', async () => {
        const result = await runExecutable(options.executable, 'meta-data', { ocf11: false, uid: NOBODY, gid: NOBODY, params: {}, env: { OCF_RESOURCE_INSTANCE: undefined } });
        expect(result.code).toBe(0);
        expectWellBehaved(result, 'meta-data');
        expect(result.stdout).toContain('<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">');
        const check = validateDtd(result.stdout);
        expect(check.output).toBe('');
        expect(check.ok).toBe(true);
      });

      it('is valid OCF 1.1 when Pacemaker asks for it (OCF_RA_VERSION_MINOR=1)', async () => {
        const result = await runExecutable(options.executable, 'meta-data', { params: {} });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('<version>1.1</version>');
        const check = validateOcf11(result.stdout);
        expect(check.output.replace(/^.*validates\n?$/m, '')).toBe('');
        expect(check.ok).toBe(true);
      });

      it('lists every declared parameter and the mandatory actions', async () => {
        const { stdout } = await runExecutable(options.executable, 'meta-data', { params: {} });
        for (const name of declared) expect(stdout).toContain(`<parameter name="${name}"`);
        for (const action of ['start', 'stop', 'monitor', 'meta-data']) expect(stdout).toContain(`<action name="${action}"`);
        if (options.promotable) for (const action of ['promote', 'demote']) expect(stdout).toContain(`<action name="${action}"`);
      });

      it('loads no heavy Node module (every monitor and meta-data call pays for what it loads)', async () => {
        const loaded = await loadedBuiltins(options.executable, 'meta-data', { agentName: options.agent.name, params: {} });
        expect(loaded.filter((m) => HEAVY_BUILTINS.includes(m))).toEqual([]);
      });

      it('works with every binary "missing" (OCF_TESTER_FAIL_HAVE_BINARY)', async () => {
        const result = await runExecutable(options.executable, 'meta-data', { params: {}, env: { OCF_TESTER_FAIL_HAVE_BINARY: '1' } });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('<resource-agent');
      });
    });

    describe('calling convention', () => {
      it('answers an unknown action with 3 and a reason', async () => {
        const result = await call('frobnicate');
        expect(result.code).toBe(3);
        expect(result.reason).toMatch(/frobnicate/);
      });
      it('answers no action with 2 and a reason', async () => {
        const result = await call('');
        expect(result.code).toBe(2);
        expect(result.reason).toMatch(/no action/);
      });
      it('prints usage', async () => {
        const result = await call('usage');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/usage:/);
      });
    });

    describe.skipIf(required.length === 0)('invalid configuration (the ocf-rarun policy)', () => {
      const without = (name: string) => ({ ...options.params(), [name]: undefined });
      it.for(required)('validate-all without %s: 6, naming it', async (name) => {
        const result = await call('validate-all', { params: without(name) });
        expect(result.code).toBe(6);
        expect(result.reason).toContain(name);
      });
      it.for(required)('stop without %s: 0 (nothing can run with it)', async (name) => {
        const result = await call('stop', { params: without(name) });
        expect(result.code).toBe(0);
        expectWellBehaved(result, 'stop');
      });
      it.for(required)('probe without %s: 7', async (name) => {
        const result = await call('monitor', { params: without(name) });
        expect(result.code).toBe(7);
      });
      it.for(required)('recurring monitor without %s: 1 with a reason', async (name) => {
        const result = await call('monitor', { params: without(name), meta: { interval: 10000 } });
        expect(result.code).toBe(1);
        expect(result.reason).toContain(name);
      });
    });

    describe('lifecycle', () => {
      const step = (title: string, action: string, codes: number[], extra: CallOptions = {}) =>
        it(title, async () => {
          const result = await call(action, extra);
          expect(codes, `${action} -> ${result.code}: ${result.reason ?? result.stderr.slice(-500)}`).toContain(result.code);
          expectWellBehaved(result, action);
        });
      const recurring = { meta: { interval: 10000 } };
      step('probe of a stopped resource: 7', 'monitor', [7]);
      step('probe with binaries "missing": 7 or 5', 'monitor', [7, 5], { env: { OCF_TESTER_FAIL_HAVE_BINARY: '1' } });
      step('stop of a stopped resource: 0', 'stop', [0]);
      step('validate-all: 0', 'validate-all', [0]);
      step('start: 0', 'start', [0]);
      step('start again: 0', 'start', [0]);
      step('recurring monitor: 0', 'monitor', [0], recurring);
      step('probe of the running resource: 0', 'monitor', [0]);
      if (options.promotable) {
        step('promote: 0', 'promote', [0]);
        step('monitor of the promoted instance: 8', 'monitor', [8], { meta: { interval: 9000, role: 'Promoted' } });
        step('promote again: 0', 'promote', [0]);
        step('demote: 0', 'demote', [0]);
        step('monitor after demote: 0', 'monitor', [0], recurring);
        step('demote again: 0', 'demote', [0]);
      }
      step('stop: 0', 'stop', [0]);
      step('stop again: 0', 'stop', [0]);
      step('probe after stop: 7', 'monitor', [7]);
      it('leaves nothing running', async () => {
        expect(await (options.leftovers?.() ?? Promise.resolve([]))).toEqual([]);
      });
    });

    describe.skipIf(!options.neverStarts)('deadline', () => {
      it('a start that cannot succeed fails on its own, with a reason, before CRM_meta_timeout', async () => {
        const budget = 4000;
        const result = await call('start', { params: options.neverStarts!(), timeoutMs: budget, killAfterMs: budget });
        expect(result.signal).toBeNull();
        expect(result.code).toBe(1);
        expect(result.reason).toBeTruthy();
        expect(result.wallMs).toBeLessThan(budget);
        const stop = await call('stop', { params: options.neverStarts!() });
        expect(stop.code).toBe(0);
      });
    });

    describe('ocf-tester (resource-agents)', () => {
      it('passes', async () => {
        const result = await runOcfTester(options.executable, { name: `${options.agent.name}-ocftest`, params: options.params(), env: options.env?.() });
        expect(result.output).toMatch(/passed all tests/);
        expect(result.code).toBe(0);
      }, 120_000);
    });
  });
}
