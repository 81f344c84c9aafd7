import { runToolOrThrow, type ToolContext } from './tool.ts';

// The promotion score: the node attribute master-<resource> that Pacemaker reads to choose whom to
// promote. `crm_attribute --promotion` (crm_master is its deprecated wrapper) gives it a reboot
// lifetime: it vanishes with the node, never outlives the data it describes.

export async function setPromotionScore(ctx: ToolContext, node: string, score: number): Promise<void> {
  await runToolOrThrow(ctx, 'crm_attribute', [`--promotion=${ctx.instance}`, '-N', node, '-v', String(score)], `set the promotion score of ${node}`);
}

export async function deletePromotionScore(ctx: ToolContext, node: string): Promise<void> {
  await runToolOrThrow(ctx, 'crm_attribute', [`--promotion=${ctx.instance}`, '-N', node, '-D'], `delete the promotion score of ${node}`);
}
