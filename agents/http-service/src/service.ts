import { networkInterfaces } from 'node:os';
import { findOwned, ownerRecordPath, type Context, type Listener, type ProcessIdentity } from '@ocfkit/runtime';
import { parseProbeUrl } from './probe/url.ts';
import type { Params } from './params.ts';

type P = Context<Params>['params'];

/** Where the agent records what it launched (see the runtime's README, "Process ownership"). */
export function recordOf(p: P): string {
  return ownerRecordPath(p.pidfile);
}

/** Is `host` this node: a loopback or wildcard address, localhost, or an address of one of its interfaces? */
function isLocalHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '::' || host === '0.0.0.0' || host.startsWith('127.')) return true;
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === host));
}

/**
 * What the service listens on, per probe_url: the socket that proves an unrecorded process is
 * this service, and whose holder a start's health answer must come from. Only when probe_url
 * points at this node: a port number says nothing about another host's sockets.
 */
export function listenerOf(p: P): Listener | undefined {
  const target = parseProbeUrl(p.probe_url).target;
  if (!target) return undefined;
  if (target.socketPath !== undefined) return { path: target.socketPath };
  return isLocalHost(target.host) ? { port: target.port } : undefined;
}

/** Our running service, or undefined; throws when a dead service left processes behind. */
export function findService(p: P): Promise<ProcessIdentity | undefined> {
  return findOwned(recordOf(p), { pidfile: p.pidfile, listener: () => listenerOf(p), what: p.service_path });
}
