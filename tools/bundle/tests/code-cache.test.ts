import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { bundle } from '../src/bundle.mjs';
import { META_DATA_VERSIONS, RUNNING_CODES, versionEnv } from '../src/code-cache.mjs';
import { OCF } from '../../../packages/runtime/src/exit-codes.ts';
import { execute } from '../../../packages/runtime/src/execute.ts';
import demoAgent from '../../../packages/runtime/tests/fixtures/demo-agent.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(join(tmpdir(), 'ocfkit-cc-'));
const agent = join(dir, 'demo');
const isRoot = process.getuid?.() === 0;

// `methods` runs the agent's code; meta-data, answered from the file's tail, does not
function run(cache: string, action = 'methods', env: Record<string, string> = {}) {
  return spawnSync(agent, [action], { env: { PATH: '/usr/bin:/bin', OCFKIT_CODE_CACHE: cache, OCF_RESKEY_state: '/x', ...env }, encoding: 'utf8' });
}

beforeAll(async () => {
  chmodSync(dir, 0o755);
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, `import { runAgent } from '${repo}/packages/runtime/src/run.ts';\nimport agent from '${repo}/packages/runtime/tests/fixtures/demo-agent.ts';\nrunAgent(agent);\n`);
  await bundle({ entry, outfile: agent, metaData: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("the loader counts as running the runtime's codes for a running service", () => {
  expect(RUNNING_CODES).toEqual([OCF.SUCCESS, OCF.RUNNING_PROMOTED, OCF.DEGRADED, OCF.DEGRADED_PROMOTED]);
});

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

  it("removes its earlier builds' caches when it writes its own, and nobody else's", () => {
    const cache = join(dir, 'stale');
    mkdirSync(cache, { mode: 0o755 });
    const old = `demo-0123456789abcdef-${process.version}-${process.arch}.v8cache`;
    const others = [`demo-other-0123456789abcdef-${process.version}-${process.arch}.v8cache`, 'demo-notes.txt'];
    for (const name of [old, ...others]) writeFileSync(join(cache, name), 'x');
    expect(run(cache).status).toBe(0);
    const left = readdirSync(cache);
    expect(left).not.toContain(old);
    expect(left).toEqual(expect.arrayContaining(others));
    expect(left).toHaveLength(3);
  });

  it('is written again by the first monitor that finds the service running, and then kept', () => {
    const cache = join(dir, 'steady');
    const header = () => readFileSync(join(cache, readdirSync(cache)[0]!)).subarray(0, 8).toString('latin1');
    const written = () => statSync(join(cache, readdirSync(cache)[0]!)).ino;
    // a probe of a stopped service (7) writes the first cache
    expect(run(cache, 'monitor').status).toBe(7);
    expect(header()).toBe('ocfkit:0');
    const first = written();
    // another probe compiles its own functions (a monitor never uses that cache) and keeps it
    expect(run(cache, 'monitor').status).toBe(7);
    expect(written()).toBe(first);
    // a running (degraded) monitor writes the cache every later call uses
    expect(run(cache, 'monitor', { OCF_RESKEY_level: '8' }).status).toBe(190);
    expect(header()).toBe('ocfkit:1');
    const second = written();
    expect(second).not.toBe(first);
    // from then on, no call writes it
    expect(run(cache, 'monitor', { OCF_RESKEY_level: '8' }).status).toBe(190);
    expect(run(cache, 'monitor').status).toBe(7);
    expect(run(cache).status).toBe(0);
    expect(written()).toBe(second);
    expect(readdirSync(cache)).toHaveLength(1);
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
    expect(result.stdout).toContain('monitor\n');
    const off = join(dir, 'off-dir');
    expect(run('off').status).toBe(0);
    expect(() => readdirSync(off)).toThrow();
  });
});

describe('meta-data kept in the executable', () => {
  // the kept answers, and environments that have none (those render at run time)
  const cases = [...META_DATA_VERSIONS, ['2', undefined], ['', ''], ['1', '2'], [undefined, '1']] as Array<[string | undefined, string | undefined]>;

  it.for(cases)('answers exactly what the runtime renders, for OCF_RA_VERSION %j', async ([major, minor]) => {
    const env = versionEnv(major, minor);
    const expected = await execute(demoAgent, 'meta-data', env);
    const result = run('off', 'meta-data', env);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(expected.stdout);
  });

  it.skipIf(!isRoot)('answers without running the agent: no code cache is written', () => {
    const cache = join(dir, 'meta-data-cache');
    expect(run(cache, 'meta-data', versionEnv('1', '1')).status).toBe(0);
    expect(() => readdirSync(cache)).toThrow();
    expect(run(cache, 'methods').status).toBe(0);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('a file changed under it (an upgrade) renders instead of reading a stale tail', () => {
    const copy = join(dir, 'changed');
    writeFileSync(copy, readFileSync(agent));
    chmodSync(copy, 0o755);
    // one byte more at the end: every kept position now points one byte off, and the tag says so
    appendFileSync(copy, '\n');
    const env = versionEnv('1', '1');
    const result = spawnSync(copy, ['meta-data'], { env: { PATH: '/usr/bin:/bin', OCFKIT_CODE_CACHE: 'off', ...env }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(run('off', 'meta-data', env).stdout);
  });
});
