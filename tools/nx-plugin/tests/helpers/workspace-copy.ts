import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

const SKIP = new Set(['node_modules', 'dist', '.nx', '.git', 'coverage']);

export interface WorkspaceCopy {
  root: string;
  run(command: string, args: string[]): { code: number | null; stdout: string; output: string };
  /** `npx nx g @ocfkit/nx-plugin:agent ARGS --skipInstall` (npm install would change the shared node_modules). */
  generate(...args: string[]): { code: number | null; stdout: string; output: string };
  remove(): void;
}

/**
 * The workspace without its agents, in a temporary directory, node_modules symlinked rather than
 * reinstalled: where a test generates an agent and runs the workspace's own build and tests.
 */
export function workspaceCopy(prefix: string): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const file of ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.json', 'tsconfig.base.json', 'vitest.config.mts', '.npmrc']) {
    if (existsSync(join(REPO, file))) cpSync(join(REPO, file), join(root, file));
  }
  for (const dir of ['packages', 'tools']) cpSync(join(REPO, dir), join(root, dir), { recursive: true, filter: (src) => !SKIP.has(src.split('/').pop()!) });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  // ocf-tester runs meta-data as nobody: the built agent's directories must be reachable
  chmodSync(root, 0o755);
  // no colours: CI=true makes nx and vitest colour their output, and the tests read it
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NODE_EXTRA_CA_CERTS: '', SOURCE_DATE_EPOCH: '1700000000', FORCE_COLOR: '0', NO_COLOR: '1' };
  const plain = (text: string | null) => (text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
    return { code: result.status, stdout: plain(result.stdout), output: `${plain(result.stdout)}${plain(result.stderr)}` };
  };
  return {
    root,
    run,
    generate: (...args) => run('npx', ['nx', 'g', '@ocfkit/nx-plugin:agent', ...args, '--skipInstall', '--no-interactive']),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
