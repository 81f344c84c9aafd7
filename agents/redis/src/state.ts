import { unlink } from 'node:fs/promises';
import { readOwnFile, replaceFile } from '@ocfkit/runtime';

// What one action tells the next, without asking the cluster: whom this instance was told to
// follow (by start, demote, notify) and the promotion score last set. The monitor reads it on
// every call instead of forking crm_attribute. Kept in rundir, which lives in /run (tmpfs): it
// ends with the node's uptime, as reboot-lifetime attributes do.

/** Where a replica replicates from: the primary's node, and the address it is reached at. */
export interface ReplicaTarget {
  readonly node: string;
  readonly host: string;
  readonly port: number;
}

export interface InstanceState {
  /** Whom to follow; null: no primary is known to run (a replica waiting for a promotion). */
  readonly target: ReplicaTarget | null;
  /** When `target` was set (epoch ms): where a link grace starts when Redis has no link history. */
  readonly targetSince: number;
  /** Promoted by the last promote/demote. */
  readonly promoted: boolean;
  /** The score this agent last set on this node; null once deleted; undefined: unknown. */
  readonly score?: number | null;
  /** The last promoted node (the cluster's <resource>_REPL_INFO), as read at start or told by notify. */
  readonly lastPrimary?: string;
  /**
   * A primary Pacemaker named that this replica could not be pointed at (its address did not
   * resolve): the monitor reports it instead of taking the replica for one waiting for a primary.
   */
  readonly unreachablePrimary?: { readonly node: string; readonly problem: string };
  /** The generation of this node's promotion (cluster/promotion-record.ts), while promoted. */
  readonly generation?: number;
  /**
   * A primary Pacemaker named that this replica refused to follow, because another node was
   * promoted after it (a healed split brain): following it would discard the newer writes.
   */
  readonly refusedPrimary?: { readonly node: string; readonly problem: string; readonly since: number };
}

/** The state file's name, in rundir. */
export function stateFileName(instance: string): string {
  return `.ocfkit-${instance}.json`;
}

function isTarget(value: unknown): value is ReplicaTarget {
  const t = value as ReplicaTarget;
  return typeof t === 'object' && t !== null && typeof t.node === 'string' && typeof t.host === 'string' && Number.isInteger(t.port);
}

/**
 * The state, or undefined when missing or not to be trusted: rundir belongs to the redis user,
 * so a file we did not write ourselves (another owner, a symlink) is ignored.
 */
export async function readState(path: string): Promise<InstanceState | undefined> {
  const text = readOwnFile(path);
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text) as Partial<InstanceState>;
    if (data.target !== null && !isTarget(data.target)) return undefined;
    if (typeof data.targetSince !== 'number' || typeof data.promoted !== 'boolean') return undefined;
    return {
      target: data.target,
      targetSince: data.targetSince,
      promoted: data.promoted,
      score: typeof data.score === 'number' || data.score === null ? data.score : undefined,
      lastPrimary: typeof data.lastPrimary === 'string' ? data.lastPrimary : undefined,
      unreachablePrimary:
        typeof data.unreachablePrimary?.node === 'string' && typeof data.unreachablePrimary.problem === 'string' ? data.unreachablePrimary : undefined,
      generation: typeof data.generation === 'number' ? data.generation : undefined,
      refusedPrimary:
        typeof data.refusedPrimary?.node === 'string' && typeof data.refusedPrimary.problem === 'string' && typeof data.refusedPrimary.since === 'number'
          ? data.refusedPrimary
          : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Write atomically (temp file, fsync, rename), readable by root only. */
export async function writeState(path: string, state: InstanceState): Promise<void> {
  await replaceFile(path, `${JSON.stringify(state)}\n`);
}

export async function removeState(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
