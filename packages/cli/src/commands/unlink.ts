import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, EXIT } from '../cli-error.ts';
import { entryExists, linkedEntries, readEntry } from '../linked-entries.ts';
import { checkName, DEFAULT_PROVIDER, ocfName, providerDir } from '../ocf-paths.ts';

export const summary = 'remove what ocfkit link made';

export const help = `Usage: ocfkit unlink [--provider NAME] [agent...]

Removes the entries \`ocfkit link\` made in /usr/lib/ocf/resource.d/<provider>/ (every one of them
when no agent is named, stale ones included), then the directory itself if nothing else is in it.
Files ocfkit did not write are never removed. Stop or remove the cluster's resources first:
Pacemaker fails an action whose agent is gone.

Options:
  --provider NAME  the provider directory (default: ${DEFAULT_PROVIDER})
  -h, --help       this text
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { provider: { type: 'string', default: DEFAULT_PROVIDER } }, allowPositionals: true });
  const provider = values.provider!;
  const dir = providerDir(provider);
  const mine = linkedEntries(provider);
  let failed = 0;
  const targets = positionals.length === 0 ? mine : [];
  for (const name of positionals) {
    checkName('agent', name);
    const entry = readEntry(provider, name);
    if (entry) targets.push(entry);
    else if (entryExists(join(dir, name))) {
      process.stderr.write(`ocfkit unlink: ${join(dir, name)} was not written by ocfkit: left alone\n`);
      failed++;
    } else throw CliError.usage(`${ocfName(provider, name)} is not linked (linked: ${mine.map((e) => e.name).join(', ') || 'none'})`);
  }
  for (const entry of targets) {
    try {
      rmSync(entry.path);
      process.stdout.write(`removed ${ocfName(provider, entry.name)} (${entry.path})\n`);
    } catch (error) {
      process.stderr.write(`ocfkit unlink: ${entry.path}: ${(error as Error).message}\n`);
      failed++;
    }
  }
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // no such directory: nothing was linked there
  }
  return failed ? EXIT.FAILED : EXIT.OK;
}
