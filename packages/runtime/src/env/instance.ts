type Env = Readonly<Record<string, string | undefined>>;

/**
 * The resource id. Clone instances get the bare id from pacemaker-execd, but some tools append
 * `:N`; per-instance paths and attributes must not depend on which tool called us.
 */
export function instanceName(env: Env, agentName: string): string {
  const raw = env.OCF_RESOURCE_INSTANCE?.trim();
  if (!raw) return agentName;
  return raw.replace(/:\d+$/, '');
}

/** OCF_CHECK_LEVEL: 0 (default), 10, 20... Anything unreadable counts as 0. */
export function checkLevel(env: Env): number {
  const value = Number.parseInt(env.OCF_CHECK_LEVEL ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Whether Pacemaker asked for OCF 1.1 behaviour (it passes MINOR=1 even to meta-data). */
export function wantsOcf11(env: Env): boolean {
  const major = Number.parseInt(env.OCF_RA_VERSION_MAJOR ?? '', 10);
  const minor = Number.parseInt(env.OCF_RA_VERSION_MINOR ?? '', 10);
  return major > 1 || (major === 1 && minor >= 1) || (Number.isNaN(major) && minor >= 1);
}
