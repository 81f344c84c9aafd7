import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withClient } from '../../../src/resp/client.ts';
import { ACKS_FILE, type KeyCheck, type ProbeConfig } from './protocol.ts';

// After the failover: is every acknowledged write on the new primary, with its value?

const CHUNK = 500;

export async function checkAcknowledged(config: ProbeConfig): Promise<KeyCheck> {
  if (config.primary === undefined) throw new Error('check needs "primary"');
  let text = '';
  try {
    text = readFileSync(join(config.dir, ACKS_FILE), 'utf8');
  } catch {
    // nothing acknowledged: nothing to lose
  }
  const acks = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [key, at] = line.split(' ');
      return { key: key!, at: Number(at) };
    });
  const keys = acks.map((a) => a.key);
  const before = new Set(acks.filter((a) => config.faultAt !== undefined && a.at < config.faultAt).map((a) => a.key));
  const missing: string[] = [];
  await withClient({ endpoint: { host: config.primary, port: config.port }, password: config.password, connectTimeoutMs: 1000 }, async (client) => {
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      const values = (await client.command(['MGET', ...chunk])) as Array<string | null>;
      chunk.forEach((key, j) => {
        if (values[j] !== key.slice(1)) missing.push(key);
      });
    }
  });
  return {
    acknowledged: keys.length,
    missing: missing.length,
    acknowledgedBeforeFault: before.size,
    missingBeforeFault: missing.filter((k) => before.has(k)).length,
    examples: missing.slice(0, 5),
  };
}
