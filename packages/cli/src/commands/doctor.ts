import { readdirSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CODE_CACHE_DIR } from '../../../../tools/bundle/src/code-cache.mjs';
import { EXIT } from '../cli-error.ts';
import { installedAgents, ownModulesDir, type InstalledAgent } from '../installed-agents.ts';
import { linkedEntries, type LinkedEntry } from '../linked-entries.ts';
import { metadataProblems } from '../metadata-check.ts';
import { nodeInfo, satisfiesMinimum } from '../node-info.ts';
import { ocfName, RESOURCE_D } from '../ocf-paths.ts';
import { findInPath } from '../pacemaker-path.ts';

export const summary = 'check that this node can run the linked agents under Pacemaker';

export const help = `Usage: ocfkit doctor

Checks, as Pacemaker will run the agents (its PATH, a clean environment):
  - each node the linked agents run with: its version against the agents' engines, and whether
    it was built with Node's startup snapshot (without it, as Debian's nodejs, every agent call
    costs about 3-4 times more CPU);
  - the OCF root (${RESOURCE_D}) and Pacemaker's tools (crm_resource, crm_attribute,
    attrd_updater, crm_mon);
  - each linked agent: its meta-data (exit 0, its own name, valid against resource-agents'
    ra-api-1.dtd when xmllint has it) and Pacemaker's reading of it (crm_resource --show-metadata);
  - the code cache directory ${CODE_CACHE_DIR} (used only when root owns it and no one else
    may write to it: a cache is code).
Exits 1 when a check fails, 0 otherwise (warnings included).

Options:
  -h, --help  this text
`;

type Status = 'ok' | 'note' | 'warn' | 'FAIL';
const TOOLS = ['crm_resource', 'crm_attribute', 'attrd_updater', 'crm_mon'];

function checkNodes(entries: LinkedEntry[], installed: InstalledAgent[], report: (s: Status, what: string, detail: string) => void): void {
  const pacemakerNode = findInPath('node');
  const users = new Map<string, LinkedEntry[]>();
  for (const entry of entries.filter((e) => e.agent)) {
    const node = entry.kind === 'launcher' ? entry.node : pacemakerNode;
    if (!node) {
      report('FAIL', ocfName(entry.provider, entry.name), "Pacemaker's PATH finds no node for this symlink: run `ocfkit link` again (it writes a launcher naming the node)");
      continue;
    }
    users.set(node, [...(users.get(node) ?? []), entry]);
  }
  if (users.size === 0) users.set(pacemakerNode ?? process.execPath, []);
  for (const [node, using] of users) {
    const where = node === pacemakerNode ? `${node} (Pacemaker's PATH)` : node;
    const info = nodeInfo(node);
    if ('error' in info) {
      report('FAIL', 'node', `${where} does not run: ${info.error}`);
      continue;
    }
    const agents = using.length ? using.map((e) => e.agent!) : installed;
    const tooOld = agents.filter((a) => !satisfiesMinimum(info.version, a.engines));
    if (tooOld.length) report('FAIL', 'node', `${where} is ${info.version}; ${tooOld.map((a) => `${a.name} needs ${a.engines}`).join(', ')}`);
    else report('ok', 'node', `${info.version} at ${where}${using.length ? `, runs ${using.map((e) => ocfName(e.provider, e.name)).join(' ')}` : ''}`);
    if (info.snapshot) report('ok', 'node startup', `${node} has Node's startup snapshot${info.codeCache ? ' and built-in code cache' : ''}`);
    else report('warn', 'node startup', `${node} was built without Node's startup snapshot (as Debian's nodejs): every agent call costs about 3-4 times the CPU of an official nodejs.org build`);
  }
}

function checkCodeCache(report: (s: Status, what: string, detail: string) => void): void {
  let st;
  try {
    st = statSync(CODE_CACHE_DIR);
  } catch {
    report('note', 'code cache', `${CODE_CACHE_DIR} does not exist yet: the first agent action run as root creates it`);
    return;
  }
  if (!st.isDirectory()) report('warn', 'code cache', `${CODE_CACHE_DIR} is not a directory: agents compile their code on every call; remove it`);
  else if (st.uid !== 0 || (st.mode & 0o022) !== 0) report('warn', 'code cache', `${CODE_CACHE_DIR} is owned by uid ${st.uid} with mode ${(st.mode & 0o777).toString(8)}: agents ignore it (a cache is code); chown root:root and chmod 755 it`);
  else report('ok', 'code cache', `${CODE_CACHE_DIR}, owned by root, not writable by others; files: ${readdirSync(CODE_CACHE_DIR).filter((f) => f.endsWith('.v8cache')).length}`);
}

export async function run(argv: string[]): Promise<number> {
  parseArgs({ args: argv, options: {} });
  let failed = false;
  const report = (status: Status, what: string, detail: string) => {
    if (status === 'FAIL') failed = true;
    process.stdout.write(`${status.padEnd(5)} ${what.padEnd(14)} ${detail}\n`);
  };

  let installed: InstalledAgent[] = [];
  try {
    const modules = ownModulesDir();
    installed = installedAgents(modules);
    report(installed.length ? 'ok' : 'warn', 'agents', installed.length ? `${installed.map((a) => `${a.packageName}@${a.version}`).join(', ')} in ${modules}` : `no agent packages in ${modules}`);
  } catch (error) {
    report('FAIL', 'agents', (error as Error).message);
  }
  const entries = linkedEntries();
  checkNodes(entries, installed, report);

  let ocfRoot = false;
  try {
    ocfRoot = statSync(RESOURCE_D).isDirectory();
  } catch {}
  report(ocfRoot ? 'ok' : 'FAIL', 'OCF root', ocfRoot ? RESOURCE_D : `${RESOURCE_D} missing: install Pacemaker (and resource-agents)`);
  const missing = TOOLS.filter((t) => !findInPath(t));
  report(missing.length ? 'FAIL' : 'ok', 'pacemaker', missing.length ? `not on Pacemaker's PATH: ${missing.join(', ')} (install Pacemaker's command-line tools)` : `${TOOLS.join(', ')} found`);

  for (const entry of entries) {
    const name = ocfName(entry.provider, entry.name);
    if (!entry.agent) {
      report('warn', name, `${entry.path} leads to ${entry.target}, whose package is gone: ocfkit unlink --provider ${entry.provider} ${entry.name}`);
      continue;
    }
    const problems = metadataProblems(entry.path, entry.provider, entry.name);
    report(problems.length ? 'FAIL' : 'ok', name, problems.length ? problems.join('; ') : `meta-data valid (${entry.kind} to ${entry.agent.packageName}@${entry.agent.version})`);
  }
  for (const agent of installed) {
    if (!entries.some((e) => e.agent?.executable === agent.executable)) report('note', agent.name, `installed, not linked: ocfkit link ${agent.name}`);
  }
  checkCodeCache(report);
  return failed ? EXIT.FAILED : EXIT.OK;
}
