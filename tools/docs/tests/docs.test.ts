import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderManPage, renderParamTable, withParamTable, type AnyAgent } from '@ocfkit/runtime';

// Like typescript-eslint's docs test: an agent whose README does not document its current
// parameters fails here, and `npm run docs` is the fix.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const agents = readdirSync(join(root, 'agents')).filter((name) => existsSync(join(root, 'agents', name, 'src/agent.ts')));

describe.for(agents)('docs of %s', (name) => {
  const load = async () => (await import(join(root, 'agents', name, 'src/agent.ts'))).default as AnyAgent;
  const readmePath = join(root, 'agents', name, 'README.md');

  it('has a README', () => {
    expect(existsSync(readmePath)).toBe(true);
  });
  it('documents every parameter with the generated table (npm run docs)', async () => {
    const agent = await load();
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toBe(withParamTable(readme, agent));
    expect(readme).toContain(renderParamTable(agent));
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
