import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What ocf-tester 4.12 validates against (xmllint --valid, the DOCTYPE names it). */
export const DTD_DIR = '/usr/share/resource-agents';
/** pcs's OCF 1.1 schema: what pcs checks before it accepts an agent's metadata. */
export const OCF11_RNG = '/usr/share/pcs/data/ocf-1.1.rng';

export interface SchemaResult {
  ok: boolean;
  output: string;
}

function lint(xml: string, args: string[]): SchemaResult {
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-meta-'));
  try {
    const file = join(dir, 'metadata.xml');
    writeFileSync(file, xml);
    const result = spawnSync('xmllint', ['--noout', ...args, file], { encoding: 'utf8' });
    if (result.error) return { ok: false, output: `xmllint: ${result.error.message}` };
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Valid against ra-api-1.dtd, exactly as ocf-tester checks it. */
export function validateDtd(xml: string): SchemaResult {
  return lint(xml, ['--valid', '--path', DTD_DIR]);
}

/** Valid against the OCF 1.1 schema pcs ships. */
export function validateOcf11(xml: string): SchemaResult {
  if (!existsSync(OCF11_RNG)) return { ok: false, output: `${OCF11_RNG} missing (install pcs)` };
  return lint(xml, ['--relaxng', OCF11_RNG]);
}
