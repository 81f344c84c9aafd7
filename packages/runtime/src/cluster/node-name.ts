import { OcfError } from '../ocf-error.ts';
import { runTool, type ToolContext } from './tool.ts';

/**
 * This node's name as Pacemaker knows it: pacemaker-execd passes it with every action
 * (CRM_meta_on_node, observed); `crm_node -n` only when run by hand.
 */
export async function localNodeName(ctx: ToolContext & { meta: { onNode?: string } }): Promise<string> {
  const given = ctx.meta.onNode?.trim();
  if (given) return given;
  const result = await runTool(ctx, 'crm_node', ['-n']).catch(() => undefined);
  const name = result?.code === 0 ? result.stdout.trim() : '';
  if (name === '') throw OcfError.generic('cannot tell this node\'s cluster name: no CRM_meta_on_node and crm_node -n failed');
  return name;
}
