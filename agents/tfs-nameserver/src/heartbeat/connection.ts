import { connect, isIPv4, type Socket } from 'node:net';
import { hangUp, socketProblem } from '@ocfkit/runtime';
import { TfsError } from './errors.ts';
import { hostsFileAddress } from './hosts-file.ts';
import { FrameReader } from './frame-reader.ts';
import { decodeHeartbeatBody, encodeHeartbeatRequest, heartbeatProblem, PACKET_VERSION } from './packet.ts';

type Outcome = { status: number } | { error: TfsError };

/**
 * An address rather than a name. Not net.isIP: on a name it tries its IPv6 expression, whose
 * first use costs about 4 ms of CPU (a third of a monitor's own work); any ':' means IPv6 here.
 */
function isLiteral(host: string): boolean {
  return isIPv4(host) || host.includes(':');
}

/** A socket's error in the runtime's words: "nameserver 10.0.0.5:3100: connection refused". */
function socketError(endpoint: string, error: NodeJS.ErrnoException, connected: boolean): TfsError {
  const { code, text } = socketProblem(error, { connected });
  return new TfsError(code, endpoint, text, { cause: error });
}

/**
 * One TCP connection that carries ha_monitor's tries: each try sends a request with a fresh id
 * and waits for the reply. A late reply to an earlier try on the same connection still tells
 * the NameServer's state, so it answers the current try. A connection the peer closed is
 * opened again by the next try.
 */
export class HeartbeatConnection {
  private socket: Socket | undefined;
  private reader = new FrameReader();
  private connected = false;
  private waiter: ((outcome: Outcome) => void) | undefined;
  private readonly sent = new Set<bigint>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly endpoint: string,
  ) {}

  /** Send one heartbeat and wait up to `timeoutMs` for an answer: the NameServer's status. */
  exchange(id: bigint, switchFlag: number, timeoutMs: number): Promise<number> {
    const socket = this.socket ?? this.open();
    this.sent.add(id);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => settle({ error: this.timeoutError(timeoutMs) }), timeoutMs);
      const settle = (outcome: Outcome) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.status);
      };
      this.waiter = settle;
      // written at once or queued by node:net until the connection is up
      socket.write(encodeHeartbeatRequest({ id, switchFlag }));
    });
  }

  /** Fail the try in progress with `error` and drop the connection. */
  abort(error: TfsError): void {
    this.waiter?.({ error });
    this.close();
  }

  /** Drop the connection; whatever it still says is ignored (see gone and onData). */
  close(): void {
    if (this.socket) hangUp(this.socket);
    this.socket = undefined;
  }

  private timeoutError(timeoutMs: number): TfsError {
    return this.connected
      ? new TfsError('NO_ANSWER', this.endpoint, `no answer to the heartbeat within ${timeoutMs} ms`)
      : new TfsError('CONNECT_TIMEOUT', this.endpoint, `no connection within ${timeoutMs} ms`);
  }

  private open(): Socket {
    this.reader = new FrameReader();
    this.connected = false;
    // the NameServer listens on IPv4 only, and ha_monitor resolves names with gethostbyname:
    // "localhost" must mean 127.0.0.1, not ::1 (Node 18 would try ::1 first and be refused)
    const address = isLiteral(this.host) ? this.host : (hostsFileAddress(this.host) ?? this.host);
    const socket = connect({ host: address, port: this.port, family: isLiteral(address) ? 0 : 4 });
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (socket === this.socket) this.connected = true;
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.gone(socket, socketError(this.endpoint, error, this.connected)));
    socket.on('close', () => this.gone(socket, new TfsError('CLOSED', this.endpoint, 'connection closed before an answer')));
    this.socket = socket;
    return socket;
  }

  private gone(socket: Socket, error: TfsError): void {
    if (socket !== this.socket) return; // 'close' after 'error', or an old connection
    this.socket = undefined;
    socket.destroy();
    this.waiter?.({ error });
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    this.reader.push(chunk);
    for (;;) {
      let packet;
      try {
        packet = this.reader.next();
      } catch (error) {
        // lost packet boundaries: nothing more on this connection can be trusted
        this.gone(socket, new TfsError('TFS_BAD_REPLY', this.endpoint, `bad reply: ${(error as Error).message}`, { cause: error }));
        return;
      }
      if (!packet) return;
      const problem = heartbeatProblem(packet);
      if (problem !== undefined) {
        this.waiter?.({ error: new TfsError('TFS_BAD_REPLY', this.endpoint, `bad reply: ${problem}`) });
        continue;
      }
      // version 2 echoes our id: anything else is not an answer to us
      if (packet.header.version >= PACKET_VERSION && !this.sent.has(packet.header.id)) continue;
      this.waiter?.({ status: decodeHeartbeatBody(packet.body).status });
    }
  }
}
