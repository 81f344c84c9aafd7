import { spawn } from 'node:child_process';
import { CLEAN_PATH, type Params } from './pacemaker-env.ts';

export interface OcfTesterResult {
  code: number | null;
  output: string;
}

/**
 * resource-agents' own checker, run as CI runs it: `ocf-tester -n NAME -o k=v ... /full/path`,
 * from a clean environment (it runs meta-data as `nobody` through su).
 */
export function runOcfTester(agentPath: string, options: { name?: string; params: Params; env?: Record<string, string>; cgroupProcs?: string }): Promise<OcfTesterResult> {
  const args = ['-v', '-n', options.name ?? 'ocftest'];
  for (const [key, value] of Object.entries(options.params)) {
    if (value !== undefined) args.push('-o', `${key}=${String(value)}`);
  }
  args.push(agentPath);
  return new Promise((resolve, reject) => {
    // in a cgroup (see runExecutable): whatever the agent starts under ocf-tester stays findable
    const [command, argv] = options.cgroupProcs ? ['/bin/sh', ['-c', 'echo 0 > "$0" && exec "$@"', options.cgroupProcs, 'ocf-tester', ...args]] : ['ocf-tester', args];
    const child = spawn(command, argv as string[], {
      env: { PATH: CLEAN_PATH, LANG: 'C.UTF-8', OCF_ROOT: '/usr/lib/ocf', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
