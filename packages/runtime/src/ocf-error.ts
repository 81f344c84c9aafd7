import { OCF, type OcfCode } from './exit-codes.ts';

/**
 * The one way an action fails: the OCF code Pacemaker acts on, and the reason the operator reads
 * in `crm_mon`. Pacemaker keeps only the first 128 characters of the reason, so put what to fix
 * first ("cannot read /etc/x.conf: permission denied", not "an error occurred while ...").
 */
export class OcfError extends Error {
  override readonly name = 'OcfError';
  constructor(
    readonly code: Exclude<OcfCode, typeof OCF.SUCCESS>,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }

  /** 1: something failed here; Pacemaker recovers in place (restart, or move after failures). */
  static generic(reason: string, options?: { cause?: unknown }): OcfError {
    return new OcfError(OCF.ERR_GENERIC, reason, options);
  }
  /** 2: the arguments are wrong (bad call, not bad configuration). */
  static args(reason: string): OcfError {
    return new OcfError(OCF.ERR_ARGS, reason);
  }
  /** 3: this action is not implemented by the agent. */
  static unimplemented(reason: string): OcfError {
    return new OcfError(OCF.ERR_UNIMPLEMENTED, reason);
  }
  /** 4: insufficient permissions on this node; Pacemaker tries another node. */
  static perm(reason: string, options?: { cause?: unknown }): OcfError {
    return new OcfError(OCF.ERR_PERM, reason, options);
  }
  /** 5: software missing on this node; Pacemaker tries another node. */
  static installed(reason: string, options?: { cause?: unknown }): OcfError {
    return new OcfError(OCF.ERR_INSTALLED, reason, options);
  }
  /** 6: the configuration is wrong everywhere; Pacemaker stops the resource cluster-wide. */
  static configured(reason: string, options?: { cause?: unknown }): OcfError {
    return new OcfError(OCF.ERR_CONFIGURED, reason, options);
  }
  /** 9: the promoted instance has failed (monitor only). */
  static failedPromoted(reason: string, options?: { cause?: unknown }): OcfError {
    return new OcfError(OCF.FAILED_PROMOTED, reason, options);
  }
}

/** Whatever was thrown, as an OcfError: unexpected exceptions become OCF_ERR_GENERIC with a reason. */
export function toOcfError(error: unknown, action: string): OcfError {
  if (error instanceof OcfError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return OcfError.generic(`${action} failed unexpectedly: ${message}`, { cause: error });
}
