import type { CheckResult, KitReport } from './types.ts';

// Two readers: a person at a terminal (one line per check, expected and observed for failures)
// and a program (`--json`: `{ "agent", "checks": [...], "summary" }`).

const MARK = { pass: 'ok  ', fail: 'FAIL', skip: 'skip' } as const;

export function humanLine(result: CheckResult): string {
  const head = `${MARK[result.status]} ${result.id.padEnd(27)} ${result.title}`;
  if (result.status === 'pass') return head;
  if (result.status === 'skip') return `${head}\n       (${result.observed})`;
  return `${head}\n       expected: ${result.expected}\n       observed: ${result.observed}`;
}

export function humanSummary(report: KitReport): string {
  const { pass, fail, skip } = report.summary;
  return `\n${report.agent}: ${pass} passed, ${fail} failed, ${skip} skipped`;
}

export function jsonReport(report: KitReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
