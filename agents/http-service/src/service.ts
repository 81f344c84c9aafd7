import { findOwned, ownerRecordPath, type Context, type Listener, type ProcessIdentity } from '@ocfkit/runtime';
import { parseProbeUrl } from './probe/url.ts';
import type { Params } from './params.ts';

type P = Context<Params>['params'];

/** Where the agent records what it launched (see the runtime's README, "Process ownership"). */
export function recordOf(p: P): string {
  return ownerRecordPath(p.pidfile);
}

/** What the service listens on, per probe_url: the socket that proves an unrecorded process is this service. */
function listenerOf(p: P): Listener | undefined {
  const target = parseProbeUrl(p.probe_url).target;
  if (!target) return undefined;
  return target.socketPath !== undefined ? { path: target.socketPath } : { port: target.port };
}

/** Our running service, or undefined; throws when a dead service left processes behind. */
export function findService(p: P): Promise<ProcessIdentity | undefined> {
  return findOwned(recordOf(p), { pidfile: p.pidfile, listener: listenerOf(p), what: p.service_path });
}
