import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAgent, ParamMap } from '@ocfkit/runtime';
import type { Params } from './pacemaker-env.ts';
import { runExecutable } from './run-executable.ts';
import { HEAVY_BUILTINS, loadedBuiltins } from './loaded-builtins.ts';
import { CHECKS } from './kit/checks/index.ts';
import { KitRun } from './kit/kit-run.ts';
import { runCheck } from './kit/run-kit.ts';

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
  /**
   * Parameters whose start can never succeed: start must fail on its own, before the budget, with
   * an exit reason matching `reason` (what the operator must read to fix it).
   */
  neverStarts?: { params: () => Params; reason: RegExp };
  /**
   * After the final stop: describe anything of the resource still running (must be empty). On
   * top of the kit's own tracking (a cgroup per run): the test knows what its service looks like.
   */
  leftovers: () => Promise<string[]>;
  /** Budget given to each lifecycle action (CRM_meta_timeout), default 20 s. */
  timeoutMs?: number;
}

/** Skips that only an incomplete machine causes: in this suite they fail (CI must have root, ocf-tester, cgroups). */
const ENVIRONMENTAL = new Set(['meta-data-nobody', 'ocf-tester', 'leftovers']);

/**
 * The conformance kit's checks (the same `ocfkit test-agent` runs on any agent, see kit/), one
 * test each, plus what only an ocfkit agent promises: its metadata lists every declared
 * parameter and says OCF 1.1, no heavy module on meta-data, `usage`, and exit 2 without an action.
 */
export function conformance(options: ConformanceOptions): void {
  const run = new KitRun({
    executable: options.executable,
    agentName: options.agent.name,
    provider: 'ocfkit',
    params: () => options.params(),
    env: options.env,
    promotable: options.promotable,
    neverStarts: options.neverStarts,
    leftovers: options.leftovers,
    timeoutMs: options.timeoutMs,
    ocfTester: true,
  });
  const declared = Object.keys(options.agent.params as ParamMap);

  describe(`OCF conformance: ${options.agent.name}`, () => {
    beforeAll(async () => {
      await options.setup?.();
      await run.prepare();
    });
    afterAll(async () => {
      await run.finish();
      await options.teardown?.();
    });

    describe('what an ocfkit agent promises on top', () => {
      it('lists every declared parameter, says OCF 1.1, and advertises promote/demote when promotable', async () => {
        const { stdout } = await runExecutable(options.executable, 'meta-data', { params: {} });
        for (const name of declared) expect(stdout).toContain(`<parameter name="${name}"`);
        expect(stdout).toContain('<version>1.1</version>');
        if (options.promotable) for (const action of ['promote', 'demote']) expect(stdout).toContain(`<action name="${action}"`);
      });
      it('loads no heavy Node module on meta-data (every call pays for what it loads)', async () => {
        const loaded = await loadedBuiltins(options.executable, 'meta-data', { agentName: options.agent.name, params: {} });
        expect(loaded.filter((m) => HEAVY_BUILTINS.includes(m))).toEqual([]);
      });
      it('names an unknown action in its exit reason, answers no action with 2, prints usage', async () => {
        const unknown = await run.call('frobnicate', { exempt: true });
        expect(unknown.reason).toMatch(/frobnicate/);
        const none = await run.call('', { label: 'no action', exempt: true });
        expect(none.code).toBe(2);
        expect(none.reason).toMatch(/no action/);
        const usage = await run.call('usage');
        expect(usage.code).toBe(0);
        expect(usage.stdout).toMatch(/usage:/);
      });
    });

    for (const check of CHECKS) {
      it(`${check.id}: ${check.title}`, async (ctx) => {
        const result = await runCheck(check, run);
        if (result.status === 'skip' && !ENVIRONMENTAL.has(check.id)) ctx.skip(result.observed);
        expect(result.status, `expected: ${result.expected}\nobserved: ${result.observed}`).toBe('pass');
      }, check.id === 'ocf-tester' ? 120_000 : undefined);
    }
  });
}
