import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The docs tool's command line, in a scratch workspace holding the tool and one agent whose
// README's parameter table is out of date.
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
let scratch: string;
let readme: string;
const STALE = '| `old_parameter` | a parameter the agent no longer has |';
const docs = (...args: string[]) => execa('node', [join(scratch, 'tools/docs/src/cli.mjs'), ...args], { reject: false, env: { NODE_EXTRA_CA_CERTS: '' }, timeout: 60_000 });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ocfkit-docs-cli-'));
  mkdirSync(join(scratch, 'agents'));
  for (const dir of ['tools/docs/src', 'tools/bundle/src', 'agents/http-service/src']) cpSync(join(repo, dir), join(scratch, dir), { recursive: true });
  cpSync(join(repo, 'agents/http-service/package.json'), join(scratch, 'agents/http-service/package.json'));
  symlinkSync(join(repo, 'node_modules'), join(scratch, 'node_modules'));
  readme = join(scratch, 'agents/http-service/README.md');
  const text = readFileSync(join(repo, 'agents/http-service/README.md'), 'utf8');
  const start = text.indexOf('<!-- parameters');
  const end = text.indexOf('<!-- end of parameters -->');
  expect(start, 'the README has the parameter markers').toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  writeFileSync(readme, `${text.slice(0, text.indexOf('\n', start) + 1)}${STALE}\n${text.slice(end)}`);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run docs', () => {
  it('prints its usage for --help, and writes nothing', async () => {
    const r = await docs('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run docs -- \[agent\.\.\.\] \[--check\]/);
    expect(readFileSync(readme, 'utf8')).toContain(STALE);
  });
  it('exits 2 naming an agent there is not', async () => {
    const r = await docs('no-such-agent');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('docs: no agent named no-such-agent under agents/ (there are: http-service)');
  });
  it('exits 2 on an option it does not know', async () => {
    const r = await docs('--write');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Unknown option '--write'");
  });
  it('--check lists a stale README, exits 1, and writes nothing', async () => {
    const r = await docs('--check');
    expect(r.stdout).toBe('stale: agents/http-service/README.md\n(npm run docs writes them)');
    expect(r.exitCode).toBe(1);
    expect(readFileSync(readme, 'utf8')).toContain(STALE);
  });
  it('writes the table, after which --check passes', async () => {
    const write = await docs();
    expect(write.stdout).toBe('updated agents/http-service/README.md');
    expect(write.exitCode).toBe(0);
    expect(readFileSync(readme, 'utf8')).not.toContain(STALE);
    expect(readFileSync(readme, 'utf8')).toMatch(/\| `probe_url` \|/);
    const check = await docs('--check');
    expect(check.stdout).toBe('');
    expect(check.exitCode).toBe(0);
  });
});
