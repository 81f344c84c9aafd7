import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { bundle } from '../src/bundle.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(join(tmpdir(), 'ocfkit-cc-'));
const agent = join(dir, 'demo');
const isRoot = process.getuid?.() === 0;

function run(cache: string, action = 'meta-data') {
  return spawnSync(agent, [action], { env: { PATH: '/usr/bin:/bin', OCFKIT_CODE_CACHE: cache, OCF_RESKEY_state: '/x' }, encoding: 'utf8' });
}

beforeAll(async () => {
  chmodSync(dir, 0o755);
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, `import { runAgent } from '${repo}/packages/runtime/src/run.ts';\nimport agent from '${repo}/packages/runtime/tests/fixtures/demo-agent.ts';\nrunAgent(agent);\n`);
  await bundle({ entry, outfile: agent });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!isRoot)('V8 code cache of a bundle', () => {
  it('is written by the first run as root and used by the next, with the same results', () => {
    const cache = join(dir, 'cache');
    const first = run(cache);
    expect(first.status).toBe(0);
    const files = readdirSync(cache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^demo-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`));
    const second = run(cache);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(run(cache, 'monitor').status).toBe(7);
  });

  it('is neither read nor written in a directory others can write (a cache is code)', () => {
    const open = join(dir, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    expect(run(open).status).toBe(0);
    expect(readdirSync(open)).toEqual([]);
  });

  it('survives a corrupt cache file, and can be switched off', () => {
    const cache = join(dir, 'corrupt');
    run(cache);
    const [file] = readdirSync(cache);
    writeFileSync(join(cache, file!), 'garbage');
    const result = run(cache);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<resource-agent name="demo-agent"');
    const off = join(dir, 'off-dir');
    expect(run('off').status).toBe(0);
    expect(() => readdirSync(off)).toThrow();
  });
});
