import { execute, type AnyAgent } from '@ocfkit/runtime';
import { pacemakerEnv, type CallOptions } from './pacemaker-env.ts';

export interface ActionResult {
  code: number;
  reason?: string;
  stdout: string;
}

/** Run one action of an agent declaration in this process, with a Pacemaker-like environment. */
export async function runAction(agent: AnyAgent, action: string, options: CallOptions = {}): Promise<ActionResult> {
  const outcome = await execute(agent, action, pacemakerEnv(agent.name, options));
  return { code: outcome.code, reason: outcome.reason, stdout: outcome.stdout ?? '' };
}
