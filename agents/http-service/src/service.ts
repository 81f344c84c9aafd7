import {
  OcfError,
  adoptProcess,
  loadPidfile,
  ownedService,
  ownerRecordPath,
  servesSocket,
  type Context,
  type Listener,
  type ProcessIdentity,
} from '@ocfkit/runtime';
import { parseProbeUrl } from './probe/url.ts';
import type { Params } from './params.ts';

type P = Context<Params>['params'];

/** Where the agent records what it launched: next to the pidfile (see the runtime's README). */
export function recordOf(p: P): string {
  return ownerRecordPath(p.pidfile);
}

/** What the service listens on, per probe_url: the socket that proves a process is this service. */
function listenerOf(p: P): Listener | undefined {
  const target = parseProbeUrl(p.probe_url).target;
  if (!target) return undefined;
  return target.socketPath !== undefined ? { path: target.socketPath } : { port: target.port };
}

/**
 * A service no record names, but that this resource runs: one started by the previous release
 * (which kept only a pidfile), still running across the upgrade. Its pidfile's pid is taken only
 * when that process (or its session) holds the socket probe_url talks to: a kernel fact, where a
 * pidfile alone may name anyone.
 */
async function adoptRunning(p: P): Promise<ProcessIdentity | undefined> {
  const listener = listenerOf(p);
  if (!listener) return undefined;
  const content = await loadPidfile(p.pidfile).catch(() => undefined);
  if (content?.kind !== 'pid' || !servesSocket(listener, content.pid)) return undefined;
  return adoptProcess(recordOf(p), content.pid);
}

/**
 * Our running service: the recorded main process when it runs; undefined when nothing of ours
 * runs. A main process that died leaving members of its session behind is a failure (stop
 * clears them), never "not running": Pacemaker would start a second copy next to them.
 */
export async function findService(p: P): Promise<ProcessIdentity | undefined> {
  const owned = ownedService(recordOf(p));
  if (owned.state === 'running') return owned.main;
  if (owned.state === 'remnants') {
    const pids = owned.pids.map((id) => id.pid).join(', ');
    throw OcfError.generic(`${p.service_path} exited but processes it started still run (pid ${pids})`);
  }
  if (owned.state === 'unrecorded') return adoptRunning(p);
  return undefined;
}
