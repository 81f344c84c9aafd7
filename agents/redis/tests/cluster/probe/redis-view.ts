import { parseInfo } from '../../../src/info.ts';
import { RedisClient } from '../../../src/resp/client.ts';
import type { ProbeConfig, ProbeNode, RedisView } from './protocol.ts';

// One Redis server over TCP, as a client would see it: the connection is kept between polls and
// dropped on any error, so a dead server reads as unreachable at the next poll.

const CONNECT_TIMEOUT_MS = 300;
const REPLY_TIMEOUT_MS = 1000;

export class RedisWatch {
  private client: RedisClient | undefined;

  constructor(
    readonly node: ProbeNode,
    private readonly config: ProbeConfig,
  ) {}

  async view(): Promise<RedisView> {
    try {
      this.client ??= await RedisClient.connect({
        endpoint: { host: this.node.host, port: this.config.port },
        password: this.config.password,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        timeoutMs: REPLY_TIMEOUT_MS,
      });
      const info = parseInfo((await this.client.command(['INFO', 'replication', 'keyspace'])) as string);
      return {
        reachable: true,
        role: info.role,
        masterHost: info.masterHost,
        masterPort: info.masterPort,
        link: info.masterLinkStatus,
        replicas: info.role === 'master' ? info.connectedSlaves : undefined,
        keys: info.keys,
      };
    } catch {
      this.close();
      return { reachable: false };
    }
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
