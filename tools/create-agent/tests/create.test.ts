import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExecutable, runOcfTester } from '@ocfkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tools without types
import { createAgent } from '../src/create.mjs';
// @ts-expect-error plain ESM tools without types
import { bundle } from '../../bundle/src/bundle.mjs';

// A generated agent must build and pass ocf-tester before anyone writes a line of it.
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const root = mkdtempSync(join(tmpdir(), 'ocfkit-new-'));
// ocf-tester runs meta-data as nobody: the executable's directory must be reachable
chmodSync(root, 0o755);
symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('create-agent', () => {
  it('refuses names Pacemaker users would trip over, and existing agents', () => {
    expect(() => createAgent(root, 'My_Agent')).toThrow(/lower case words separated by dashes/);
    createAgent(root, 'twice');
    expect(() => createAgent(root, 'twice')).toThrow(/already exists/);
  });

  it('generates an agent that builds and passes ocf-tester', async () => {
    const files: string[] = createAgent(root, 'echo-service', 'Runs an echo service');
    expect(files.map((f) => f.slice(root.length))).toEqual(
      expect.arrayContaining(['/agents/echo-service/src/agent.ts', '/agents/echo-service/src/main.ts', '/agents/echo-service/tests/conformance.test.ts', '/agents/echo-service/README.md']),
    );
    expect(readFileSync(join(root, 'agents/echo-service/src/agent.ts'), 'utf8')).toContain("name: 'echo-service'");
    const executable = join(root, 'echo-service');
    await bundle({ entry: join(root, 'agents/echo-service/src/main.ts'), outfile: executable });
    const meta = await runExecutable(executable, 'meta-data');
    expect(meta.code).toBe(0);
    expect(meta.stdout).toContain('<shortdesc lang="en">Runs an echo service</shortdesc>');
    const tester = await runOcfTester(executable, { name: 'echo', params: { binary: '/bin/sleep', args: '3600', pidfile: join(root, 'echo.pid'), log_file: join(root, 'echo.log') } });
    expect(tester.output).toMatch(/passed all tests/);
  }, 120_000);
});
