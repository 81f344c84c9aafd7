import { connect as netConnect, type Socket } from 'node:net';
import { hangUp, socketProblem } from '@ocfkit/runtime';
import { ProbeError } from './probe-error.ts';
import { ResponseParser } from './response-parser.ts';
import { connectTls, type TlsOptions } from './tls-connect.ts';
import type { ProbeTarget } from './url.ts';

export { ProbeError, type ProbeErrorCode } from './probe-error.ts';
export type { TlsOptions } from './tls-connect.ts';

// A health check speaks just enough HTTP/1.1 over node:net: measured in a fresh process, node:http
// costs about twice the CPU of a bare node start and undici about ten times (README, "Why not
// undici"); a monitor runs every few seconds on every node, so the client is part of the budget.

export interface ProbeRequest {
  target: ProbeTarget;
  method: 'GET' | 'HEAD';
  headers: ReadonlyArray<readonly [string, string]>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Read the body (for a regex); otherwise the status line is enough and we hang up. */
  readBody: boolean;
  tls?: TlsOptions;
}

export interface ProbeResponse {
  status: number;
  body?: string;
}

/** A socket's error in the runtime's words; the exit reason names the URL, and so the endpoint. */
function describeSocketError(error: NodeJS.ErrnoException, target: ProbeTarget, connected: boolean): ProbeError {
  const { code, text } = socketProblem(error, { tls: target.tls, connected });
  return new ProbeError(code, text);
}

function buildRequest(request: ProbeRequest): string {
  const lines = [`${request.method} ${request.target.path} HTTP/1.1`];
  const given = new Set(request.headers.map(([name]) => name.toLowerCase()));
  if (!given.has('host')) lines.push(`Host: ${request.target.hostHeader}`);
  if (!given.has('user-agent')) lines.push('User-Agent: ocfkit-http-service');
  if (!given.has('accept')) lines.push('Accept: */*');
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  lines.push('Connection: close', '', '');
  return lines.join('\r\n');
}

function openSocket(request: ProbeRequest): Socket {
  const { target } = request;
  const plain = target.socketPath ? netConnect({ path: target.socketPath }) : netConnect({ host: target.host, port: target.port });
  if (!target.tls) return plain;
  try {
    // over a unix socket there is no host to send: the certificate is checked against "localhost"
    return connectTls(plain, target.host, !target.socketPath, request.tls);
  } catch (error) {
    plain.destroy(); // a key or certificate TLS cannot use: no connection left behind
    throw error;
  }
}

/** One health check. Resolves with the status (and body when asked); rejects with a ProbeError. */
export function probe(request: ProbeRequest): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const parser = new ResponseParser(request.method, request.readBody);
    let socket: Socket;
    let settled = false;
    const finish = (error: ProbeError | undefined, response?: ProbeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (socket && !error) hangUp(socket);
      else socket?.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const where = request.target.socketPath ?? `${request.target.host}:${request.target.port}`;
    const timer = setTimeout(
      () => finish(new ProbeError('NO_ANSWER', `no answer from ${where} within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    const onAbort = () => finish(new ProbeError('ABORTED', `health check of ${where} cut off by the action deadline`));
    if (request.signal?.aborted) return onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      socket = openSocket(request);
    } catch (error) {
      return finish(describeSocketError(error as NodeJS.ErrnoException, request.target, false));
    }
    let connected = false;
    socket.once(request.target.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write(buildRequest(request));
    });
    const tryFinish = (closed: boolean) => {
      if (parser.status === undefined) {
        if (closed) finish(new ProbeError('CLOSED', `${where} closed the connection without an answer`));
        return;
      }
      if (!request.readBody) return finish(undefined, { status: parser.status });
      const body = parser.body(closed);
      if (body !== undefined) finish(undefined, { status: parser.status, body });
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.push(chunk);
        tryFinish(false);
      } catch (error) {
        finish(error as ProbeError);
      }
    });
    const onClosed = () => {
      try {
        tryFinish(true);
      } catch (error) {
        finish(error as ProbeError);
      }
    };
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', (error: NodeJS.ErrnoException) => finish(describeSocketError(error, request.target, connected)));
  });
}
