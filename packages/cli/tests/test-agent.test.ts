import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `ocfkit test-agent`, the built command, as a user runs it: against any agent executable, a
// report per check in words or JSON, and the exit status says whether a check failed.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const OCFKIT = join(root, 'dist/bin/ocfkit');
const FIXTURES = join(root, 'packages/testkit/tests/fixtures/agents');
const scratch = mkdtempSync(join(tmpdir(), 'ocfkit-test-agent-'));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => {
  if (!existsSync(OCFKIT)) throw new Error(`${OCFKIT} is missing: npm run build first`);
});

const ocfkit = (...args: string[]) => spawnSync(OCFKIT, ['test-agent', ...args], { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: '' }, timeout: 240_000 });
const state = (name: string) => `state_dir=${join(scratch, name)}`;

describe('ocfkit test-agent', () => {
  it('passes an agent that keeps the rules: exit 0, one line per check', () => {
    const run = ocfkit(join(FIXTURES, 'correct'), '-o', state('correct'), '--never-starts', `wait_for=${join(scratch, 'never')}`, '--reason', 'gave up waiting', '--no-ocf-tester');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok {3}probe-stopped {15}probe of a stopped resource: 7$/m);
    expect(run.stdout).toMatch(/^ok {3}deadline /m);
    expect(run.stdout).toMatch(/: \d+ passed, 0 failed, \d+ skipped$/m);
  }, 240_000);

  it('reports each failed check with what was expected and observed, as JSON, and exits 1', () => {
    const run = ocfkit(join(FIXTURES, 'broken/monitor-lies'), '-o', state('lies'), '--json', '--no-ocf-tester');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { checks: { id: string; status: string; expected: string; observed: string }[]; summary: Record<string, number> };
    expect(report.checks.find((c) => c.id === 'probe-stopped')).toEqual({
      id: 'probe-stopped',
      title: 'probe of a stopped resource: 7',
      status: 'fail',
      expected: 'exit 7 (OCF_NOT_RUNNING): a probe that says "running" makes Pacemaker stop the resource everywhere',
      observed: 'exit 0 (OCF_SUCCESS)',
    });
    expect(report.summary.fail).toBe(report.checks.filter((c) => c.status === 'fail').length);
  }, 240_000);

  it("passes resource-agents' Dummy, ocf-tester included", () => {
    const run = ocfkit('/usr/lib/ocf/resource.d/heartbeat/Dummy', '-o', `state=${join(scratch, 'Dummy.state')}`, '--json');
    expect(run.status, run.stdout.slice(-3000) + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: { id: string; status: string }[] };
    expect(report.checks.find((c) => c.id === 'ocf-tester')?.status).toBe('pass');
  }, 240_000);

  it('answers a usage error with 2 and says what is wrong', () => {
    const run = ocfkit(join(FIXTURES, 'correct'), '-o', 'no-equals-sign');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("-o needs key=value, got 'no-equals-sign'");
    expect(ocfkit().stderr).toContain('which agent? give the path of its executable');
  });
});
