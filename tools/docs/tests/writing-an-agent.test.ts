import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@ocfkit/testkit';
import { workspaceCopy } from '../../nx-plugin/tests/helpers/workspace-copy.ts';
import { applyWalkthrough, blockAfter, shownFiles as files } from './helpers/walkthrough.ts';

// docs/writing-an-agent.md, executed: its generator command, then every file it shows (marked
// `<!-- file: PATH -->`), then the build, the agent's tests and `ocfkit test-agent`, in a copy of
// the workspace. When the page and the code drift apart, this fails. Its cluster part runs in
// tools/cluster-lab/tests/walkthrough.test.ts (OCFKIT_TESTS=cluster).
const workspace = workspaceCopy('ocfkit-walkthrough-');
afterAll(() => workspace.remove());

describe('docs/writing-an-agent.md, as written', () => {
  beforeAll(() => applyWalkthrough(workspace), 180_000);

  it('shows the files of a whole agent', () => {
    expect(files).toEqual(expect.arrayContaining(['agents/memcached/src/params.ts', 'agents/memcached/src/actions/start.ts', 'agents/memcached/src/actions/monitor.ts', 'agents/memcached/tests/conformance.test.ts']));
  });

  it('typechecks', () => {
    const tsc = workspace.run('npx', ['tsc', '-p', 'tsconfig.json']);
    expect(tsc.output.split('\n').filter((l) => l.includes('agents/memcached'))).toEqual([]);
  }, 300_000);

  it('builds, and the docs tool writes its parameter table', () => {
    expect(blockAfter('walkthrough: test')).toContain('npm run build');
    const build = workspace.run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);
    expect(build.code, build.output).toBe(0);
    const docs = workspace.run('node', ['tools/docs/src/cli.mjs']);
    expect(docs.code, docs.output).toBe(0);
    expect(readFileSync(join(workspace.root, 'agents/memcached/README.md'), 'utf8')).toMatch(/\| `memory_mb` \|/);
  }, 300_000);

  it('passes its conformance suite and ocf-tester against a real memcached', () => {
    const tests = workspace.run('npx', ['vitest', 'run', 'agents/memcached', '--reporter=verbose']);
    expect(tests.code, tests.output.slice(-5000)).toBe(0);
    expect(tests.output).toMatch(/ocf-tester: resource-agents' ocf-tester passes/);
    expect(tests.output).toMatch(/deadline: a start that cannot succeed/);
  }, 300_000);

  it('passes `ocfkit test-agent` with the options the page gives', async () => {
    const shown = blockAfter('walkthrough: test-agent').replace(/\\\n/g, ' ');
    const port = await freePort();
    const dir = mkdtempSync(join(workspace.root, 'mc-'));
    const args = [...shown.matchAll(/\S+/g)].map((m) => m[0]).slice(shown.trim().startsWith('sudo') ? 3 : 2);
    const adjusted = args.map((a) => a.replace('11311', String(port)).replace('/tmp/mc', dir)).map((a) => (a.startsWith('dist/') ? join(workspace.root, a) : a));
    const kit = workspace.run(join(workspace.root, 'dist/bin/ocfkit'), [...adjusted, '--json']);
    expect(kit.code, kit.output.slice(-3000)).toBe(0);
    expect(JSON.parse(kit.stdout).summary.fail).toBe(0);
  }, 300_000);
});
