import { RedisClient } from '../../../src/resp/client.ts';
import type { ProbeNode } from './protocol.ts';

// One Redis Sentinel, asked which address it names as the master (what a Sentinel-aware client
// would be told): Sentinel's own view, the counterpart of crm_mon for a Pacemaker-managed Redis.

const CONNECT_TIMEOUT_MS = 300;
const REPLY_TIMEOUT_MS = 1000;

export class SentinelWatch {
  private client: RedisClient | undefined;

  constructor(
    readonly node: ProbeNode,
    private readonly sentinel: { readonly port: number; readonly master: string },
  ) {}

  /** "198.18.0.2:6379", or null when this Sentinel does not answer. */
  async master(): Promise<string | null> {
    try {
      this.client ??= await RedisClient.connect({
        endpoint: { host: this.node.host, port: this.sentinel.port },
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        timeoutMs: REPLY_TIMEOUT_MS,
      });
      const reply = await this.client.command(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.sentinel.master]);
      return Array.isArray(reply) && reply.length === 2 ? `${String(reply[0])}:${String(reply[1])}` : null;
    } catch {
      this.close();
      return null;
    }
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
