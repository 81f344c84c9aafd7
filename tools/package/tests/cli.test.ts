import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The packager's command line; each case exits before a package is built.
const cli = join(dirname(fileURLToPath(import.meta.url)), '../src/cli.mjs');
const pack = (...args: string[]) => execa('node', [cli, ...args], { reject: false, env: { NODE_EXTRA_CA_CERTS: '' }, timeout: 60_000 });

describe('npm run package', () => {
  it('prints its usage for --help, and builds nothing', async () => {
    const r = await pack('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run package -- \[agent\.\.\. \| standalone\]/);
  });
  it('exits 2 naming an agent there is not', async () => {
    const r = await pack('redis', 'no-such-agent', '--deb');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('package: no agent named no-such-agent (there are: http-service, redis, tfs-nameserver, standalone)');
    expect(r.stdout).toBe('');
  });
  it('exits 2 on an option it does not know', async () => {
    const r = await pack('--debian');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Unknown option '--debian'");
  });
});
