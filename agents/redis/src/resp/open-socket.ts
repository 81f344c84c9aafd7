import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { builtin, formatDuration, OcfError, socketProblem } from '@ocfkit/runtime';
import { describeEndpoint, type Endpoint } from './endpoint.ts';
import { RedisError } from './errors.ts';

export interface OpenOptions {
  /** Give up when the connection (and TLS handshake) is not done in this many ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The words of an abort's reason: the deadline's own OcfError reason, or the error's message. */
export function abortText(reason: unknown): string {
  if (reason instanceof OcfError) return reason.reason;
  if (reason instanceof Error) return reason.message;
  return 'aborted';
}

/** A failed connection in the runtime's words; a socket Redis keeps us out of is unixsocketperm's doing. */
function connectError(where: string, error: NodeJS.ErrnoException, tls: boolean): RedisError {
  const { code, text } = socketProblem(error, { tls });
  const hint = code === 'SOCKET_DENIED' ? ' (see unixsocketperm)' : '';
  return new RedisError(code, `cannot connect to redis at ${where}: ${text}${hint}`, { cause: error });
}

function tlsOptions(endpoint: Extract<Endpoint, { host: string }>): ConnectionOptions {
  const tls = endpoint.tls!;
  const options: ConnectionOptions = { host: endpoint.host, port: endpoint.port, ca: tls.ca, cert: tls.cert, key: tls.key };
  const servername = tls.servername ?? (isIP(endpoint.host) ? undefined : endpoint.host);
  if (servername) options.servername = servername;
  if (!tls.verifyHostname) options.checkServerIdentity = () => undefined;
  return options;
}

/**
 * Connect to a Redis endpoint, bounded by a timeout and an AbortSignal. node:tls is loaded only
 * when the endpoint uses TLS: parsing it costs every monitor that never needs it.
 */
export function openSocket(endpoint: Endpoint, options: OpenOptions): Promise<Socket> {
  const where = describeEndpoint(endpoint);
  const useTls = !('path' in endpoint) && endpoint.tls !== undefined;
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(new RedisError('ABORTED', `connecting to redis at ${where} aborted: ${abortText(signal.reason)}`, { cause: signal.reason }));
      return;
    }
    let socket: Socket;
    if ('path' in endpoint) socket = netConnect({ path: endpoint.path });
    else if (useTls) socket = builtin<typeof import('node:tls')>('node:tls').connect(tlsOptions(endpoint as Extract<Endpoint, { host: string }>));
    else socket = netConnect({ host: endpoint.host, port: endpoint.port });
    const readyEvent = useTls ? 'secureConnect' : 'connect';

    const settle = (error?: RedisError) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener(readyEvent, onReady);
      socket.removeListener('error', onError);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve(socket);
      }
    };
    const onReady = () => settle();
    const onError = (error: NodeJS.ErrnoException) => settle(connectError(where, error, useTls));
    const onAbort = () =>
      settle(new RedisError('ABORTED', `connecting to redis at ${where} aborted: ${abortText(signal!.reason)}`, { cause: signal!.reason }));
    // a TCP connection without a TLS handshake is, most often, TLS spoken to a plain port
    let tcpUp = false;
    if (useTls) socket.once('connect', () => (tcpUp = true));
    const timer = setTimeout(() => {
      const within = formatDuration(options.timeoutMs);
      const what = tcpUp ? `no TLS handshake within ${within} (is this a TLS port?)` : `no connection within ${within}`;
      settle(new RedisError('CONNECT_TIMEOUT', `cannot connect to redis at ${where}: ${what}`));
    }, options.timeoutMs);
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What a server says on accepting a connection, read without writing anything: the words a
 * server sends before closing a connection it refuses ("-ERR max number of clients reached").
 * Our first command on the refused connection races the server's close, and the write's EPIPE
 * or ECONNRESET tears the socket down before its words are read; a connection that sends
 * nothing cannot lose that race. Undefined when the server says nothing within `timeoutMs`.
 */
export async function firstWords(endpoint: Endpoint, options: OpenOptions): Promise<Buffer | undefined> {
  let socket: Socket;
  try {
    socket = await openSocket(endpoint, options);
  } catch {
    return undefined;
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(size > 0 ? Buffer.concat(chunks) : undefined);
    };
    const timer = setTimeout(done, options.timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // one line is all a refusal is: stop there, or at 4 KiB of anything else
      if (chunk.includes(10) || size > 4096) done();
    });
    socket.once('end', done);
    socket.once('close', done);
    socket.once('error', done);
    options.signal?.addEventListener('abort', done, { once: true });
  });
}
