import { deletePromotionScore, setPromotionScore } from '@ocfkit/runtime';
import type { RedisContext } from '../instance.ts';
import type { ScoreDecision } from './score.ts';

/**
 * Bring this node's promotion score to the decision, forking crm_attribute only when it differs
 * from what this agent last set (`known`; undefined: not known, so set it). Logs changes, not
 * computations. Returns the value now in place (number, null for none, undefined if unknown).
 */
export async function applyScore(
  ctx: RedisContext,
  node: string,
  decision: ScoreDecision,
  known: number | null | undefined,
): Promise<number | null | undefined> {
  if ('keep' in decision) return known;
  if ('set' in decision) {
    if (known === decision.set) return known;
    await setPromotionScore(ctx, node, decision.set);
    ctx.log.info(`promotion score ${known ?? 'none'} -> ${decision.set}: ${decision.why}`);
    return decision.set;
  }
  if (known === null) return known;
  await deletePromotionScore(ctx, node);
  ctx.log.info(`promotion score ${known ?? 'unknown'} -> none: ${decision.why}`);
  return null;
}
