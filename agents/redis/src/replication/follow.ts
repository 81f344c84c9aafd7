import { OcfError } from '@ocfkit/runtime';
import { commandAs, type RedisConfig } from '../config/redis-config.ts';
import type { RedisInfo } from '../info.ts';
import type { Instance } from '../instance.ts';
import type { RedisClient } from '../resp/client.ts';
import { RedisError } from '../resp/errors.ts';
import type { ReplicaTarget } from '../state.ts';
import { NO_PRIMARY } from './target.ts';

/** A command as this server knows it (rename-command), or a reason why the agent cannot do its job. */
export function requireCommand(config: RedisConfig, name: string): string {
  const renamed = commandAs(config, name);
  if (renamed === undefined) throw OcfError.configured(`redis.conf disables ${name} (rename-command ${name} ""), which the agent needs`);
  return renamed;
}

/** Does INFO show this server following exactly `target` (null: the no-primary placeholder)? */
export function follows(info: RedisInfo, target: ReplicaTarget | null): boolean {
  const want = target ?? NO_PRIMARY;
  return info.role === 'slave' && info.masterHost === want.host && info.masterPort === want.port;
}

/**
 * Point the server at `target` (null: the placeholder): REPLICAOF, or SLAVEOF on a server too old
 * to know it. Nothing is sent when it already follows it: a repeated REPLICAOF is a no-op for
 * Redis, but a round trip for us.
 */
export async function follow(client: RedisClient, instance: Instance, info: RedisInfo, target: ReplicaTarget | null): Promise<boolean> {
  if (follows(info, target)) return false;
  const want = target ?? NO_PRIMARY;
  const args = [want.host, String(want.port)];
  try {
    await client.command([requireCommand(instance.config, 'REPLICAOF'), ...args], { label: 'REPLICAOF' });
  } catch (error) {
    if (!(error instanceof RedisError) || error.code !== 'REDIS_UNKNOWN_COMMAND') throw error;
    await client.command([requireCommand(instance.config, 'SLAVEOF'), ...args], { label: 'SLAVEOF' });
  }
  return true;
}

/**
 * Replicas authenticate to their primary with masterauth/masteruser. When redis.conf sets none
 * but the agent has a password, set it in memory (CONFIG SET, never on a command line), so that
 * replication works wherever the agent can log in.
 */
export async function ensureReplicationAuth(client: RedisClient, instance: Instance): Promise<void> {
  const { config, password, username } = instance;
  if (password === undefined) return;
  const sets: string[][] = [];
  if (config.masterauth === undefined) sets.push(['masterauth', password]);
  if (config.masteruser === undefined && username !== undefined) sets.push(['masteruser', username]);
  if (sets.length === 0) return;
  const configCommand = requireCommand(config, 'CONFIG');
  await client.pipeline(
    sets.map(([name, value]) => [configCommand, 'SET', name!, value!]),
    { label: 'CONFIG SET', secrets: [password] },
  );
}
