// OCF exit codes with their OCF 1.1 names. resource-agents' own libraries stop at 9 and use the
// MASTER spellings; Pacemaker 2.1 also understands 190/191 (degraded), so we offer them here.
export const OCF = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
  RUNNING_PROMOTED: 8,
  FAILED_PROMOTED: 9,
  DEGRADED: 190,
  DEGRADED_PROMOTED: 191,
} as const;

export type OcfCode = (typeof OCF)[keyof typeof OCF];

/** What a monitor may answer without failing: running, stopped, promoted, or degraded. */
export type MonitorStatus =
  | typeof OCF.SUCCESS
  | typeof OCF.NOT_RUNNING
  | typeof OCF.RUNNING_PROMOTED
  | typeof OCF.DEGRADED
  | typeof OCF.DEGRADED_PROMOTED;

const names = new Map<number, string>(Object.entries(OCF).map(([name, code]) => [code, `OCF_${name}`]));

/** `OCF_ERR_CONFIGURED` for 6: for logs and test messages. */
export function ocfCodeName(code: number): string {
  return names.get(code) ?? `unknown OCF code ${code}`;
}
