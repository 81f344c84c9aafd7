import { envName } from '@ocfkit/runtime';

// The environment pacemaker-execd 2.1.5 gives an agent, as captured live
// (docs/ocf-primer.md, "The environment"): nothing else leaks in, no HOME, LC_ALL=C.

export type Params = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  /** Parameters as configured (become OCF_RESKEY_*). */
  params?: Params;
  /** CRM_meta_* values without the prefix: `{ interval: 10000, clone: 0 }`. */
  meta?: Record<string, string | number | boolean>;
  /** The resource id (OCF_RESOURCE_INSTANCE). */
  instance?: string;
  /** Extra or overriding environment (OCF_CHECK_LEVEL, OCF_TESTER_FAIL_HAVE_BINARY...). */
  env?: Record<string, string | undefined>;
  /** Action budget in ms (CRM_meta_timeout); default 20000 as Pacemaker's default op timeout. */
  timeoutMs?: number;
  /** false: call as ocf-tester and hand runs do (no OCF version, DTD metadata). */
  ocf11?: boolean;
}

export const CLEAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function pacemakerEnv(agentName: string, options: CallOptions = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: CLEAN_PATH,
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: options.instance ?? 'test',
    OCF_RESOURCE_TYPE: agentName,
    OCF_RESOURCE_PROVIDER: 'ocfkit',
    OCF_EXIT_REASON_PREFIX: 'ocf-exit-reason:',
    OCF_OUTPUT_FORMAT: 'text',
    OCF_RESKEY_crm_feature_set: '3.16.1',
    OCF_RESKEY_CRM_meta_on_node: 'node1',
    OCF_RESKEY_CRM_meta_on_node_uuid: '1',
    OCF_RESKEY_CRM_meta_timeout: String(options.timeoutMs ?? 20_000),
    PCMK_logfacility: 'none',
    PCMK_debug: 'no',
    PCMK_service: 'pacemaker-execd',
    HA_cluster_type: 'corosync',
  };
  if (options.ocf11 !== false) {
    env.OCF_RA_VERSION_MAJOR = '1';
    env.OCF_RA_VERSION_MINOR = '1';
  }
  for (const [key, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined) env[envName(key)] = String(value);
  }
  for (const [key, value] of Object.entries(options.meta ?? {})) env[`OCF_RESKEY_CRM_meta_${key}`] = String(value);
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** CRM_meta_* of a promotable clone instance with notifications, as Pacemaker 2.1.5 sends them. */
export function promotableMeta(clone = 0, extra: Record<string, string | number | boolean> = {}): Record<string, string | number | boolean> {
  return {
    clone,
    clone_max: 3,
    clone_node_max: 1,
    globally_unique: false,
    notify: true,
    promoted_max: 1,
    promoted_node_max: 1,
    master_max: 1,
    master_node_max: 1,
    ...extra,
  };
}
