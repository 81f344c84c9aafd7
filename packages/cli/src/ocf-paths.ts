import { join } from 'node:path';
import { CliError } from './cli-error.ts';

/**
 * Pacemaker's OCF root is fixed when it is built; every distribution we target (Debian, Ubuntu,
 * RHEL, SUSE) uses /usr/lib/ocf. Pacemaker finds ocf:<provider>:<agent> at
 * resource.d/<provider>/<agent>.
 */
export const OCF_ROOT = '/usr/lib/ocf';
export const RESOURCE_D = join(OCF_ROOT, 'resource.d');
export const DEFAULT_PROVIDER = 'ocfkit';

// A provider or agent name becomes a path component and a word in `ocf:P:A`: no slashes, no dots
// alone, nothing a CIB or a shell would read differently.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function checkName(kind: 'provider' | 'agent', value: string): string {
  if (!NAME.test(value)) throw CliError.usage(`${kind} name "${value}": expected letters, digits, "-", "_" or "." (not first)`);
  return value;
}

export function providerDir(provider: string): string {
  return join(RESOURCE_D, checkName('provider', provider));
}

export const ocfName = (provider: string, agent: string) => `ocf:${provider}:${agent}`;
