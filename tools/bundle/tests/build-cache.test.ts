import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentExecutableName } from '../src/agent-name.mjs';

// nx caches `npm run build` (nx.json). What a fresh clone must get: every bundle in dist/ and in
// each package. And when nx restores a build from its cache (dist/ deleted, a branch switched
// back), the same files: an output a package does not declare would be missing after a restore.
const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'ocfkit-build-cache-'));

/** The working tree as a clone would have it (tracked and new files, nothing ignored), node_modules shared. */
async function freshCopy(name: string): Promise<string> {
  const copy = join(scratch, name);
  const { stdout } = await execa('git', ['-C', repo, 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(repo, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repo, file), join(copy, file));
  }
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
  chmodSync(copy, 0o755);
  return copy;
}

function build(copy: string) {
  const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NODE_EXTRA_CA_CERTS: '', FORCE_COLOR: '0', NO_COLOR: '1' };
  return execa('npm', ['run', 'build'], { cwd: copy, env, all: true, reject: false, timeout: 300_000 });
}

/** Every file the build writes, from the packages' declarations (tools/bundle/src/bundle.mjs). */
function expectedFiles(copy: string): string[] {
  const files: string[] = [];
  for (const area of ['agents', 'packages', 'tools']) {
    for (const dir of readdirSync(join(copy, area))) {
      const file = join(copy, area, dir, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      if (manifest.ocfkit?.agent) files.push(`dist/resource.d/ocfkit/${agentExecutableName(manifest)}`);
      for (const name of Object.keys(manifest.ocfkit?.bin ?? {})) files.push(`dist/bin/${name}`);
      for (const path of Object.values<string>(manifest.ocfkit ? (manifest.bin ?? {}) : {})) files.push(join(area, dir, path));
      for (const path of manifest.ocfkit ? (manifest.man ?? []) : []) files.push(join(area, dir, path));
    }
  }
  return files.sort();
}

let copy: string;
let firstBuild: Awaited<ReturnType<typeof build>>;
let secondBuild: Awaited<ReturnType<typeof build>>;
const built = new Map<string, Buffer>();

beforeAll(async () => {
  copy = await freshCopy('clone');
  firstBuild = await build(copy);
  for (const file of expectedFiles(copy)) {
    if (existsSync(join(copy, file))) built.set(file, readFileSync(join(copy, file)));
    // what a fresh clone has of the build: nothing
    rmSync(join(copy, file), { force: true });
  }
  rmSync(join(copy, 'dist'), { recursive: true, force: true });
  secondBuild = await build(copy);
}, 600_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run build in a fresh clone', () => {
  it('builds every bundle, with an empty nx cache', () => {
    expect(firstBuild.exitCode, firstBuild.all).toBe(0);
    expect(built.size).toBeGreaterThan(3);
    expect(expectedFiles(copy).filter((f) => !built.has(f))).toEqual([]);
  });

  it('gets the same files back when nx restores every build from its cache', () => {
    expect(secondBuild.exitCode, secondBuild.all).toBe(0);
    const tasks = [...secondBuild.all.matchAll(/^> nx run (\S+):build(.*)$/gm)];
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.filter(([, , how]) => !how!.includes('cache')).map(([line]) => line), 'tasks nx ran instead of restoring').toEqual([]);
    for (const [file, content] of built) {
      expect(existsSync(join(copy, file)), `${file} after a cache restore`).toBe(true);
      expect(readFileSync(join(copy, file)).equals(content), `${file} restored as built`).toBe(true);
    }
  });
});
