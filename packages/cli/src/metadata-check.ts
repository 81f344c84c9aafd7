import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findInPath, pacemakerLikeEnv } from './pacemaker-path.ts';
import { ocfName } from './ocf-paths.ts';

// resource-agents' DTD, which ocf-tester validates meta-data against (from this directory, so the
// document's SYSTEM "ra-api-1.dtd" resolves).
const DTD_DIR = '/usr/share/resource-agents';

/** Problems with an agent's meta-data as Pacemaker reads it; empty when there are none. */
export function metadataProblems(path: string, provider: string, name: string): string[] {
  const problems: string[] = [];
  // No OCF version in the environment: the DTD flavour, as ocf-tester asks for it.
  const run = spawnSync(path, ['meta-data'], { encoding: 'utf8', env: pacemakerLikeEnv(), timeout: 30_000, cwd: '/' });
  if (run.error || run.status !== 0) return [`${path} meta-data: ${run.error?.message ?? `exit ${run.status}`} ${run.stderr.trim().split('\n').pop() ?? ''}`.trim()];
  const declared = run.stdout.match(/<resource-agent\s+name="([^"]*)"/)?.[1];
  if (declared !== name) problems.push(`meta-data names the agent "${declared ?? '(no <resource-agent name>)'}", not "${name}"`);
  const xmllint = findInPath('xmllint');
  if (xmllint && existsSync(`${DTD_DIR}/ra-api-1.dtd`)) {
    const lint = spawnSync(xmllint, ['--noout', '--valid', '-'], { input: run.stdout, encoding: 'utf8', cwd: DTD_DIR, timeout: 30_000 });
    if (lint.status !== 0) problems.push(`meta-data is not valid against ra-api-1.dtd: ${lint.stderr.trim().split('\n')[0] ?? ''}`);
  }
  // Pacemaker's own reading, with OCF 1.1 announced: proves it finds ocf:P:A where we linked it.
  const crm = findInPath('crm_resource');
  if (crm) {
    const shown = spawnSync(crm, ['--show-metadata', ocfName(provider, name)], { encoding: 'utf8', env: pacemakerLikeEnv(), timeout: 60_000 });
    if (shown.status !== 0 || !shown.stdout.includes(`<resource-agent name="${name}"`)) problems.push(`crm_resource --show-metadata ${ocfName(provider, name)}: exit ${shown.status} ${shown.stderr.trim().split('\n').pop() ?? ''}`.trim());
  }
  return problems;
}
