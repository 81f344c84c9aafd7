import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// What runCli makes of the CLI's answers, with commands that need no lab (and no root).
describe('runCli', () => {
  it('returns the exit code and the output as written', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: cluster-lab \[--name LAB\] COMMAND/);
    expect(help.stdout.endsWith('\n')).toBe(true);
    const unknown = await runCli(['no-such-command']);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: "cluster-lab: unknown command 'no-such-command'\ncluster-lab: run 'cluster-lab help' for usage\n" });
  });
});
