import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runKit, type KitReport } from '../../src/kit/index.ts';

// The kit tests itself: each broken agent breaks one rule, and exactly the checks for that rule
// must fail; the correct agent it is made from, and resource-agents' Dummy, must pass every check.
// So no check passes vacuously, and none fails on an agent that keeps its rule.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/agents');
const scratch = mkdtempSync(join(tmpdir(), 'ocfkit-kit-'));
// ocf-tester runs meta-data as nobody: the state directories' parents must be reachable
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const failed = (report: KitReport) => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
const explain = (report: KitReport) => report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed}`).join('\n');

function fixture(path: string, options: { ocfTester?: boolean } = {}) {
  const state = mkdtempSync(join(scratch, 'state-'));
  return runKit({
    executable: join(FIXTURES, path),
    params: () => ({ state_dir: join(state, 'run') }),
    // start waits for a file that never appears: it must give up before its budget and say so
    neverStarts: { params: () => ({ state_dir: join(state, 'never'), wait_for: join(state, 'never-ready') }), reason: /gave up waiting for .*never-ready/, budgetMs: 8000 },
    ocfTester: options.ocfTester ?? false,
    timeoutMs: 8000,
  });
}

const BROKEN: [string, string[]][] = [
  // start believes it already runs, so the start that cannot succeed "succeeds"
  ['monitor-lies', ['probe-stopped', 'probe-binaries-missing', 'monitor-stopped', 'probe-after-stop', 'deadline']],
  ['stop-fails-when-stopped', ['stop-stopped', 'stop-again', 'deadline']],
  ['no-exit-reason', ['missing-required-validate', 'missing-required-monitor', 'deadline', 'exit-reasons']],
  ['stdout-noise', ['stdout']],
  ['ignores-deadline', ['deadline', 'within-budget']],
  ['invalid-metadata', ['meta-data-dtd', 'meta-data-ocf11']],
  ['leaves-child', ['leftovers']],
  ['probe-needs-binaries', ['probe-binaries-missing']],
  // exit 2 from the shell, and no reason either
  ['meta-data-needs-root', ['meta-data-nobody', 'exit-reasons']],
  // what start left to launch the service later is still there after stop
  ['start-returns-early', ['monitor-running', 'probe-running', 'leftovers']],
  ['start-not-idempotent', ['start-again']],
  ['notify-fails', ['notify']],
  ['unknown-action-succeeds', ['unknown-action']],
  ['required-not-enforced', ['missing-required-validate', 'missing-required-monitor']],
  ['no-monitor-advertised', ['meta-data-actions']],
];

describe('the kit passes agents that keep the rules', () => {
  it.concurrent('the correct fixture, ocf-tester included', async () => {
    const report = await fixture('correct', { ocfTester: true });
    expect(failed(report), explain(report)).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'skip').map((c) => c.id)).toEqual(['reload', 'reload-agent', 'promote', 'monitor-promoted', 'promote-again', 'demote', 'monitor-demoted', 'demote-again']);
  }, 120_000);

  it.concurrent("resource-agents' Dummy", async () => {
    const state = mkdtempSync(join(scratch, 'dummy-'));
    const report = await runKit({ executable: '/usr/lib/ocf/resource.d/heartbeat/Dummy', params: () => ({ state: join(state, 'Dummy.state') }) });
    expect(failed(report), explain(report)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'ocf-tester')?.status).toBe('pass');
  }, 120_000);
});

describe.concurrent('broken agents: the kit catches each one', () => {
  it.for(BROKEN)('%s', { timeout: 120_000 }, async ([name, checks]) => {
    const report = await fixture(join('broken', name));
    expect(failed(report), explain(report)).toEqual(checks);
  });
});
