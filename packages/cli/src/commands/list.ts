import { parseArgs } from 'node:util';
import { EXIT } from '../cli-error.ts';
import { installedAgents, ownModulesDir } from '../installed-agents.ts';
import { linkedEntries } from '../linked-entries.ts';
import { ocfName } from '../ocf-paths.ts';

export const summary = 'show the installed agents and where they are linked';

export const help = `Usage: ocfkit list [--json]

Shows every agent package installed next to ocfkit, and for each the ocf:<provider>:<agent>
names that \`ocfkit link\` gave it (symlink or launcher). Links whose package is gone are shown
as stale: \`ocfkit unlink --provider <provider> <agent>\` removes them.

Options:
  --json      one JSON document instead of a table
  -h, --help  this text
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
  const modules = ownModulesDir();
  const agents = installedAgents(modules);
  const entries = linkedEntries();
  const rows = agents.map((agent) => ({
    agent: agent.name,
    package: `${agent.packageName}@${agent.version}`,
    executable: agent.executable,
    linked: entries.filter((e) => e.agent?.executable === agent.executable).map((e) => ({ name: ocfName(e.provider, e.name), kind: e.kind, path: e.path, node: e.node })),
  }));
  const stale = entries.filter((e) => !e.agent).map((e) => ({ name: ocfName(e.provider, e.name), path: e.path, target: e.target }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ modules, agents: rows, stale }, null, 2)}\n`);
    return EXIT.OK;
  }
  if (rows.length === 0) process.stdout.write(`no agent packages in ${modules}\n`);
  const width = Math.max(5, ...rows.map((r) => r.agent.length)) + 2;
  const pkgWidth = Math.max(7, ...rows.map((r) => r.package.length)) + 2;
  if (rows.length) process.stdout.write(`${'AGENT'.padEnd(width)}${'PACKAGE'.padEnd(pkgWidth)}LINKED AS\n`);
  for (const r of rows) {
    const linked = r.linked.map((l) => `${l.name} (${l.kind})`).join(', ') || '-';
    process.stdout.write(`${r.agent.padEnd(width)}${r.package.padEnd(pkgWidth)}${linked}\n`);
  }
  for (const s of stale) process.stdout.write(`stale: ${s.name} -> ${s.target} (package gone)\n`);
  return EXIT.OK;
}
