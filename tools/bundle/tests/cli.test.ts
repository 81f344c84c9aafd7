import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The bundler's command line; each case exits before anything is built.
const cli = join(dirname(fileURLToPath(import.meta.url)), '../src/cli.mjs');
const bundle = (...args: string[]) => execa('node', [cli, ...args], { reject: false, env: { NODE_EXTRA_CA_CERTS: '' }, timeout: 60_000 });

describe('tools/bundle/src/cli.mjs', () => {
  it('prints its usage for --help, saying that nx passes no names', async () => {
    const r = await bundle('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: node tools\/bundle\/src\/cli\.mjs \[name\.\.\.\]/);
    expect(r.stdout).toContain('`npm run build` (nx run-many -t build) passes no names');
  });
  it('exits 2 naming what it cannot build, and builds nothing', async () => {
    const r = await bundle('redis', 'no-such-agent');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('bundle: nothing to build named no-such-agent (there are: ');
    expect(r.stdout).toBe('');
  });
  it('exits 2 on an option it does not know', async () => {
    const r = await bundle('--minify');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Unknown option '--minify'");
  });
});
