import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, EXIT } from '../cli-error.ts';
import { installedAgents, ownModulesDir, selectAgents } from '../installed-agents.ts';
import { renderLauncher } from '../launcher.ts';
import { entryExists, readEntry } from '../linked-entries.ts';
import { DEFAULT_PROVIDER, ocfName, providerDir } from '../ocf-paths.ts';
import { chooseRunner, type Runner } from '../runner.ts';

export const summary = 'make installed agents visible to Pacemaker as ocf:<provider>:<agent>';

export const help = `Usage: ocfkit link [--provider NAME] [--node PATH] [agent...]

Makes the agents installed next to ocfkit (npm install -g @ocfkit/<agent>) visible to Pacemaker
at /usr/lib/ocf/resource.d/<provider>/<agent>, so that ocf:<provider>:<agent> resolves. Every
installed agent when none is named. Run it again after an upgrade that changed where node is.

Each entry is a symlink to the agent's executable when the node that Pacemaker's PATH
(/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin) finds is the one the agents
should run with; otherwise a small /bin/sh launcher that runs them with that node by full path.
A file there that ocfkit did not write (a DEB/RPM's agent, say) is left alone and reported.

Options:
  --provider NAME  the provider directory (default: ${DEFAULT_PROVIDER})
  --node PATH      the node to run the agents with (default: the one running ocfkit)
  -h, --help       this text
`;

function place(path: string, agentExecutable: string, runner: Runner): void {
  // written beside, then renamed over: Pacemaker never sees a half-written entry
  const tmp = join(dirname(path), `.${basename(path)}.ocfkit-${process.pid}`);
  rmSync(tmp, { force: true });
  if (runner.kind === 'symlink') {
    symlinkSync(agentExecutable, tmp);
  } else {
    writeFileSync(tmp, renderLauncher(runner.node, agentExecutable));
    chmodSync(tmp, 0o755);
  }
  renameSync(tmp, path);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { provider: { type: 'string', default: DEFAULT_PROVIDER }, node: { type: 'string' } }, allowPositionals: true });
  const provider = values.provider!;
  const dir = providerDir(provider);
  const modules = ownModulesDir();
  const agents = selectAgents(installedAgents(modules), positionals, modules);
  const runner = chooseRunner(values.node);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw new CliError(`cannot create ${dir}: ${(error as Error).message} (run as root)`);
  }
  let failed = 0;
  for (const agent of agents) {
    const path = join(dir, agent.name);
    if (entryExists(path) && !readEntry(provider, agent.name)) {
      process.stderr.write(`ocfkit link: ${path} exists and was not written by ocfkit (a package's or an operator's file): left alone; remove it, or link with --provider NAME\n`);
      failed++;
      continue;
    }
    try {
      place(path, agent.executable, runner);
    } catch (error) {
      process.stderr.write(`ocfkit link: ${path}: ${(error as Error).message}\n`);
      failed++;
      continue;
    }
    const how = runner.kind === 'symlink' ? `symlink, run by ${runner.node} from Pacemaker's PATH` : `launcher running ${runner.node}${runner.pacemakerNode ? `, not ${runner.pacemakerNode} that Pacemaker's PATH finds` : `: Pacemaker's PATH finds no node`}`;
    process.stdout.write(`${ocfName(provider, agent.name)} -> ${agent.executable} (${how})\n`);
  }
  return failed ? EXIT.FAILED : EXIT.OK;
}
