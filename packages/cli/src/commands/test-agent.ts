import { TEST_AGENT_USAGE, testAgent } from '@ocfkit/testkit/kit';

// The checks live in @ocfkit/testkit (kit/), shared with the vitest suite every ocfkit agent runs.

export const summary = 'run the OCF conformance checks against any agent executable';

export const help = TEST_AGENT_USAGE;

export function run(argv: string[]): Promise<number> {
  return testAgent(argv);
}
