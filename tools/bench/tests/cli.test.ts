import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The bench's command line, not its measurements (those run only under `npm run bench`): each
// of these exits before a suite is set up.
const cli = join(dirname(fileURLToPath(import.meta.url)), '../src/cli.mjs');
const bench = (...args: string[]) => execa('node', [cli, ...args], { reject: false, env: { NODE_EXTRA_CA_CERTS: '' }, timeout: 60_000 });

describe('npm run bench', () => {
  it('prints its usage for --help, and runs nothing', async () => {
    const r = await bench('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run bench -- \[suite\.\.\.\]/);
    expect(r.stdout).toContain('http-service, tfs-nameserver, redis, standalone');
    expect(r.stdout).not.toContain('###');
  });
  it('exits 2 naming a suite it does not have', async () => {
    const r = await bench('http-service', 'no-such-suite');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('bench: no benchmark suite named no-such-suite');
    expect(r.stdout).toBe('');
  });
  it('exits 2 on an option it does not know', async () => {
    const r = await bench('--run', '5');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Unknown option '--run'");
  });
  it('exits 2 on a --runs that is not a positive integer', async () => {
    const r = await bench('--runs', '0');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("bench: --runs wants a positive integer, not '0'");
  });
});
