import type { Context } from '../context.ts';
import { OcfError } from '../ocf-error.ts';
import { runCommand } from '../process/run-command.ts';

// Pacemaker's command-line tools, run the way an agent must run helpers: argv (no shell), bounded
// by the action's deadline and a timeout of their own, and with an environment of our making:
// nothing of the agent's own environment (parameters, and through them secrets) reaches them.

const TOOL_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
/** crm_attribute and attrd_updater answer in milliseconds on a healthy cluster; a hung CIB must not eat the action. */
const TOOL_TIMEOUT_MS = 10_000;

export type ToolContext = Pick<Context, 'signal' | 'env' | 'instance'>;

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a cluster tool gets: PATH (the action's, so tests can put fakes first) and C locale. */
export function toolEnv(ctx: ToolContext): Record<string, string> {
  return { PATH: ctx.env.PATH || TOOL_PATH, LC_ALL: 'C', OCF_RESOURCE_INSTANCE: ctx.instance };
}

/** Run a cluster tool; a non-zero exit is returned, not thrown (the caller knows what it means). */
export async function runTool(ctx: ToolContext, tool: string, args: string[]): Promise<ToolResult> {
  const result = await runCommand(tool, args, { signal: ctx.signal, timeoutMs: TOOL_TIMEOUT_MS, env: toolEnv(ctx) });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

/** Run a cluster tool that must succeed; its first stderr line is the reason otherwise. */
export async function runToolOrThrow(ctx: ToolContext, tool: string, args: string[], doing: string): Promise<string> {
  const result = await runTool(ctx, tool, args);
  if (result.code !== 0) {
    const why = result.stderr.trim().split('\n')[0] || `exit code ${result.code}`;
    throw OcfError.generic(`cannot ${doing}: ${tool}: ${why}`);
  }
  return result.stdout;
}
