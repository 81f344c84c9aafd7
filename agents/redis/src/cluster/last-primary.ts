import { runTool, runToolOrThrow, type ToolContext } from '@ocfkit/runtime';

// The node that was promoted last, as a cluster property: ocf:heartbeat:redis's
// `<resource>_REPL_INFO` in the `redis_replication` set, so that switching agents keeps it. Read
// when no primary is running (a cluster bootstrap) to prefer the node whose data is the newest.

const name = (ctx: ToolContext) => `${ctx.instance}_REPL_INFO`;
const BASE = (ctx: ToolContext) => ['--type', 'crm_config', '--name', name(ctx), '-s', 'redis_replication'];

export async function readLastPrimary(ctx: ToolContext): Promise<string | undefined> {
  const result = await runTool(ctx, 'crm_attribute', [...BASE(ctx), '--query', '-q']).catch(() => undefined);
  const value = result?.code === 0 ? result.stdout.trim() : '';
  return value === '' ? undefined : value;
}

export async function writeLastPrimary(ctx: ToolContext, node: string): Promise<void> {
  await runToolOrThrow(ctx, 'crm_attribute', [...BASE(ctx), '-v', node], 'record the last primary');
}
