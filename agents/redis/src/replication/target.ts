import { lookup } from 'node:dns';
import { OcfError } from '@ocfkit/runtime';
import { parseNodeMap } from '../cluster/node-map.ts';
import type { RedisConfig } from '../config/redis-config.ts';
import type { RedisContext } from '../instance.ts';
import type { ReplicaTarget } from '../state.ts';

// Whom a replica follows is a Pacemaker node (from notify variables or the last-primary
// property); Redis needs an address. Node names are resolved by the tunnel map, then the
// explicit address map, then DNS (getaddrinfo: /etc/hosts counts), and a name that resolves
// nowhere is an error with a reason, never a replica left pointing at a name Redis cannot reach.

/**
 * Where an unpromoted instance points while no primary runs anywhere (Redis has no "replica of
 * nobody"): an address that fails at once, without a DNS query per second. The next
 * post-promote notification replaces it; the monitor knows it for what it is.
 */
export const NO_PRIMARY = { host: '127.0.0.1', port: 0 } as const;

export function isNoPrimary(host: string | undefined, port: number | undefined): boolean {
  return host === NO_PRIMARY.host && port === NO_PRIMARY.port;
}

/** The port replicas connect to: the parameter, else this node's own config (TLS port with tls-replication). */
export function replicationPort(ctx: RedisContext, config: RedisConfig): number {
  if (ctx.params.port !== undefined) return ctx.params.port;
  if (config.tls.replication && config.tlsPort > 0) return config.tlsPort;
  return config.port > 0 ? config.port : 6379;
}

export async function resolveTarget(ctx: RedisContext, config: RedisConfig, node: string): Promise<ReplicaTarget> {
  const p = ctx.params;
  const tunnel = parseNodeMap(p.tunnel_port_map, 'port').map.get(node);
  if (tunnel?.port !== undefined) return { node, host: p.tunnel_host, port: tunnel.port };
  const port = replicationPort(ctx, config);
  const mapped = parseNodeMap(p.node_address_map, 'address').map.get(node);
  if (mapped?.host !== undefined) return { node, host: mapped.host, port: mapped.port ?? port };
  try {
    const address = await new Promise<string>((resolve, reject) => lookup(node, (error, found) => (error ? reject(error) : resolve(found))));
    return { node, host: address, port };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw OcfError.generic(`cannot resolve node ${node} to an address (${code}): add it to node_address_map`);
  }
}

/** `node2 at 10.0.0.2:6379`, for reasons and logs. */
export function describeTarget(target: ReplicaTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.node} at ${host}:${target.port}`;
}
