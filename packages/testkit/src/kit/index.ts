export { CHECKS } from './checks/index.ts';
export { KitRun, describeResult, type CallRecord } from './kit-run.ts';
export { runKit, runCheck } from './run-kit.ts';
export { parseMetadata, type MetadataFacts } from './metadata-facts.ts';
export { humanLine, humanSummary, jsonReport } from './report.ts';
export { testAgent, parseTestAgentArgs, TEST_AGENT_USAGE } from './test-agent-command.ts';
export type { Check, CheckResult, CheckStatus, KitOptions, KitReport, NeverStarts, Verdict } from './types.ts';
