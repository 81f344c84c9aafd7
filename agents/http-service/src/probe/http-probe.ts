import { connect as netConnect, type Socket } from 'node:net';
import { builtin } from '@ocfkit/runtime';
import type { ProbeTarget } from './url.ts';

// A health check speaks just enough HTTP/1.1 over node:net: measured in a fresh process, node:http
// costs about twice the CPU of a bare node start and undici about ten times (README, "Why not
// undici"); a monitor runs every few seconds on every node, so the client is part of the budget.

export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure: boolean;
}

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

export type ProbeErrorCode =
  | 'PROBE_REFUSED'
  | 'PROBE_NO_SOCKET'
  | 'PROBE_DENIED'
  | 'PROBE_DNS'
  | 'PROBE_TIMEOUT'
  | 'PROBE_RESET'
  | 'PROBE_TLS'
  | 'PROBE_BAD_RESPONSE'
  | 'PROBE_ABORTED'
  | 'PROBE_NETWORK';

/** A failed health check, with a stable code and words for the exit reason. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  constructor(
    readonly code: ProbeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const BODY_LIMIT = 64 * 1024;
const HEADER_LIMIT = 64 * 1024;

function describeSocketError(error: NodeJS.ErrnoException, target: ProbeTarget): ProbeError {
  const where = target.socketPath ?? `${target.host}:${target.port}`;
  switch (error.code) {
    case 'ECONNREFUSED':
      return new ProbeError('PROBE_REFUSED', `connection refused by ${where}`);
    case 'ENOENT':
      return new ProbeError('PROBE_NO_SOCKET', `socket ${where} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new ProbeError('PROBE_DENIED', `permission denied connecting to ${where}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ProbeError('PROBE_DNS', `cannot resolve host ${target.host}`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ProbeError('PROBE_RESET', `connection reset by ${where}`);
    default:
      if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT') || /certificate|ssl|tls/i.test(error.message)) {
        return new ProbeError('PROBE_TLS', `TLS with ${where} failed: ${error.message}`);
      }
      return new ProbeError('PROBE_NETWORK', `${where}: ${error.message}`);
  }
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

/** Incremental response reader: status line and headers, then the body by its framing. */
class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  status?: number;
  private headers = new Map<string, string>();
  private bodyStart = -1;

  constructor(private readonly method: string) {}

  /** Returns true once the header block of a final (non-1xx) response is complete. */
  push(chunk: Buffer): boolean {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (this.bodyStart < 0) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > HEADER_LIMIT) throw new ProbeError('PROBE_BAD_RESPONSE', 'response headers larger than 64 KiB');
        return false;
      }
      const [statusLine = '', ...headerLines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
      const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
      if (!match) throw new ProbeError('PROBE_BAD_RESPONSE', `not an HTTP/1.x response: ${JSON.stringify(statusLine.slice(0, 40))}`);
      const status = Number(match[1]);
      if (status >= 100 && status < 200) {
        this.buffer = this.buffer.subarray(end + 4); // informational: the real answer follows
        continue;
      }
      this.status = status;
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) this.headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      this.bodyStart = end + 4;
    }
    return true;
  }

  /** The body when complete (or at the cap), else undefined; `closed` when the peer hung up. */
  body(closed: boolean): string | undefined {
    if (this.method === 'HEAD' || this.status === 204 || this.status === 304) return '';
    const raw = this.buffer.subarray(this.bodyStart);
    if (/\bchunked\b/i.test(this.headers.get('transfer-encoding') ?? '')) return this.dechunk(raw, closed);
    const length = this.headers.get('content-length');
    if (length !== undefined && /^\d+$/.test(length)) {
      const want = Math.min(Number(length), BODY_LIMIT);
      if (raw.length >= want) return raw.subarray(0, want).toString('utf8');
      if (closed) throw new ProbeError('PROBE_BAD_RESPONSE', `body cut short: ${raw.length} of ${length} bytes`);
      return undefined;
    }
    if (raw.length >= BODY_LIMIT || closed) return raw.subarray(0, BODY_LIMIT).toString('utf8');
    return undefined;
  }

  private dechunk(raw: Buffer, closed: boolean): string | undefined {
    const parts: Buffer[] = [];
    let at = 0;
    let total = 0;
    for (;;) {
      const lineEnd = raw.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
      if (!Number.isFinite(size)) throw new ProbeError('PROBE_BAD_RESPONSE', 'malformed chunked body');
      if (size === 0) return Buffer.concat(parts).toString('utf8');
      if (raw.length < lineEnd + 2 + size) break;
      parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
      total += size;
      if (total >= BODY_LIMIT) return Buffer.concat(parts).subarray(0, BODY_LIMIT).toString('utf8');
      at = lineEnd + 2 + size + 2;
    }
    if (closed) throw new ProbeError('PROBE_BAD_RESPONSE', 'chunked body cut short');
    return undefined;
  }
}

function openSocket(request: ProbeRequest): Socket {
  const { target } = request;
  const plain = target.socketPath ? netConnect({ path: target.socketPath }) : netConnect({ host: target.host, port: target.port });
  if (!target.tls) return plain;
  // loaded only for https probes: node:tls is the heaviest part of a TLS probe's start-up
  const tls = builtin<typeof import('node:tls')>('node:tls');
  const isIp = /^[\d.]+$|:/.test(target.host);
  return tls.connect({
    socket: plain,
    servername: target.socketPath || isIp ? undefined : target.host,
    ca: request.tls?.ca,
    cert: request.tls?.cert,
    key: request.tls?.key,
    rejectUnauthorized: !(request.tls?.insecure ?? false),
  });
}

/** One health check. Resolves with the status (and body when asked); rejects with a ProbeError. */
export function probe(request: ProbeRequest): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const parser = new ResponseParser(request.method);
    let socket: Socket;
    let settled = false;
    const finish = (error: ProbeError | undefined, response?: ProbeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const where = request.target.socketPath ?? `${request.target.host}:${request.target.port}`;
    const timer = setTimeout(
      () => finish(new ProbeError('PROBE_TIMEOUT', `no answer from ${where} within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    const onAbort = () => finish(new ProbeError('PROBE_ABORTED', `health check of ${where} cut off by the action deadline`));
    if (request.signal?.aborted) return onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      socket = openSocket(request);
    } catch (error) {
      return finish(describeSocketError(error as NodeJS.ErrnoException, request.target));
    }
    socket.once(request.target.tls ? 'secureConnect' : 'connect', () => socket.write(buildRequest(request)));
    const tryFinish = (closed: boolean) => {
      if (parser.status === undefined) {
        if (closed) finish(new ProbeError('PROBE_RESET', `${where} closed the connection without an answer`));
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
    socket.on('error', (error: NodeJS.ErrnoException) => finish(describeSocketError(error, request.target)));
  });
}
