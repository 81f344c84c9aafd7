import type { Check } from '../types.ts';
import { callingChecks } from './calling.ts';
import { configurationChecks } from './configuration.ts';
import { deadlineChecks } from './deadline.ts';
import { disciplineChecks } from './discipline.ts';
import { leftoverChecks } from './leftovers.ts';
import { lifecycleChecks } from './lifecycle.ts';
import { metadataChecks } from './metadata.ts';
import { ocfTesterChecks } from './ocf-tester.ts';

/**
 * Every check, in the order they run (the lifecycle ones share one resource instance). The
 * judgements over all calls (stdout, exit reasons, budgets) come after everything that calls.
 */
export const CHECKS: readonly Check[] = [
  ...metadataChecks,
  ...callingChecks,
  ...configurationChecks,
  ...lifecycleChecks,
  ...deadlineChecks,
  ...leftoverChecks,
  ...ocfTesterChecks,
  ...disciplineChecks,
];
