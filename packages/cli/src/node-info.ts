import { spawnSync } from 'node:child_process';
import { pacemakerLikeEnv } from './pacemaker-path.ts';

export interface NodeInfo {
  version: string;
  /**
   * Built with Node's startup snapshot (and built-in code cache). Distribution builds may lack
   * them (Debian 12's nodejs: both off, measured 93.5 ms CPU for `node -e 0` against 25.6 ms):
   * every agent call then pays that start. process.config is the configuration the binary was
   * built with (checked: false on Debian 12's nodejs 18.20.4, true on nodejs.org's 20.20;
   * node_use_v8_platform is true on both and says nothing); nothing at run time tells more.
   */
  snapshot: boolean;
  codeCache: boolean;
}

/** Asks `node` itself (the one agents run with, which need not be the one running ocfkit). */
export function nodeInfo(node: string): NodeInfo | { error: string } {
  const script = 'const v=process.config.variables;console.log(JSON.stringify({version:process.version,snapshot:v.node_use_node_snapshot===true||v.node_use_node_snapshot==="true",codeCache:v.node_use_node_code_cache===true||v.node_use_node_code_cache==="true"}))';
  const run = spawnSync(node, ['-e', script], { encoding: 'utf8', env: pacemakerLikeEnv(), timeout: 30_000 });
  if (run.error) return { error: run.error.message };
  if (run.status !== 0) return { error: `exit ${run.status}: ${run.stderr.trim().split('\n').pop() ?? ''}` };
  return JSON.parse(run.stdout) as NodeInfo;
}

/** Whether `version` (v18.20.4) satisfies an engines range of the form ">=18.19"; true for any other form. */
export function satisfiesMinimum(version: string, range: string | undefined): boolean {
  const min = range?.trim().match(/^>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/);
  const have = version.match(/^v?(\d+)\.(\d+)\.(\d+)/);
  if (!min || !have) return true;
  const a = have.slice(1, 4).map(Number);
  const b = min.slice(1, 4).map((x) => Number(x ?? 0));
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!;
  return true;
}
