import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SOURCE_CONDITIONS } from '../../../../tools/bundle/src/conditions.mjs';

// The probe runs inside lab nodes (only they reach 198.18.0.N), as a plain Node program: bundle
// it, with the agent's own RESP client, into one file in a directory every node sees (/tmp).

const entry = join(dirname(fileURLToPath(import.meta.url)), 'probe/main.ts');

export async function buildProbe(outDir: string): Promise<string> {
  const outfile = join(outDir, 'probe.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    conditions: SOURCE_CONDITIONS,
    logLevel: 'error',
  });
  return outfile;
}
