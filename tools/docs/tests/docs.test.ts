import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderManPage, renderParamTable, type AnyAgent } from '@ocfkit/runtime';

// Like typescript-eslint's docs test: an agent whose README does not document its current
// parameters fails here, and `npm run docs` is the fix.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const agents = readdirSync(join(root, 'agents')).filter((name) => existsSync(join(root, 'agents', name, 'src/agent.ts')));

// the tool's own verdict, as `npm run docs -- --check` gives it (it writes nothing)
let check: { exitCode?: number; stdout: string; stderr: string };
beforeAll(async () => {
  check = await execa('node', [join(root, 'tools/docs/src/cli.mjs'), '--check'], { reject: false, env: { NODE_EXTRA_CA_CERTS: '' } });
}, 120_000);

it('npm run docs -- --check finds every README up to date', () => {
  expect(check.stderr).toBe('');
  expect(check.stdout).toBe('');
  expect(check.exitCode).toBe(0);
});

describe.for(agents)('docs of %s', (name) => {
  const load = async () => (await import(join(root, 'agents', name, 'src/agent.ts'))).default as AnyAgent;
  const readmePath = join(root, 'agents', name, 'README.md');

  it('has a README', () => {
    expect(existsSync(readmePath)).toBe(true);
  });
  it('documents every parameter with the generated table (npm run docs)', async () => {
    expect(check.stdout).not.toContain(`agents/${name}/README.md`);
    expect(readFileSync(readmePath, 'utf8')).toContain(renderParamTable(await load()));
  });
  it('has a pcs and a crm example', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toMatch(new RegExp(`pcs resource create \\S+ ocf:ocfkit:${name}`));
    expect(readme).toContain('crm configure');
    expect(readme).toMatch(new RegExp(`primitive \\S+ ocf:ocfkit:${name}`));
  });
  it('renders a man page naming every parameter', async () => {
    const agent = await load();
    const page = renderManPage(agent, '2026-01-01');
    for (const param of Object.keys(agent.params)) expect(page).toContain(`\\fB${param}\\fR`);
  });
});
