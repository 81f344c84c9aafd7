import { ChunkedBody } from './chunked-body.ts';
import { ProbeError } from './probe-error.ts';

export const BODY_LIMIT = 64 * 1024;
export const HEADER_LIMIT = 64 * 1024;

/** How the body ends: by chunks, by Content-Length, or when the peer closes. */
type Framing = { chunked: ChunkedBody } | { length: number } | { untilClose: true } | { none: true };

function bad(message: string): ProbeError {
  return new ProbeError('HTTP_BAD_RESPONSE', message);
}

/**
 * Content-Length as RFC 9110 8.6 allows it: digits, repeated (in one field or several) only with
 * the same value. Anything else makes the framing unknowable, so the response is rejected.
 */
function contentLength(values: string[]): number {
  const all = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  if (all.some((v) => !/^\d{1,15}$/.test(v)) || new Set(all).size !== 1) throw bad(`invalid Content-Length ${JSON.stringify(values.join(', '))}`);
  return Number(all[0]);
}

/**
 * Incremental HTTP/1.x response reader: status line and headers, then the body by its framing.
 * Bounded for any peer: the header block at HEADER_LIMIT, the body at BODY_LIMIT, and every byte
 * is read once (no re-scan of what came before), so each push costs time linear in its size.
 */
export class ResponseParser {
  private head: Buffer = Buffer.alloc(0);
  status?: number;
  private framing: Framing | undefined;
  private readonly parts: Buffer[] = [];
  private kept = 0;

  constructor(
    private readonly method: string,
    private readonly readBody = true,
  ) {}

  /** Bytes held for the response so far (what the bounds above limit). */
  get buffered(): number {
    const framing = this.framing;
    return this.head.length + this.kept + (framing && 'chunked' in framing ? framing.chunked.buffered : 0);
  }

  /** Returns true once the header block of a final (non-1xx) response is complete. */
  push(chunk: Buffer): boolean {
    if (this.framing) {
      this.pushBody(chunk);
      return true;
    }
    this.head = this.head.length ? Buffer.concat([this.head, chunk]) : chunk;
    for (;;) {
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0 || end > HEADER_LIMIT) {
        if (this.head.length > HEADER_LIMIT) throw bad('response headers larger than 64 KiB');
        return false;
      }
      const [statusLine = '', ...headerLines] = this.head.subarray(0, end).toString('latin1').split('\r\n');
      const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
      if (!match) throw bad(`not an HTTP/1.x response: ${JSON.stringify(statusLine.slice(0, 40))}`);
      const status = Number(match[1]);
      const rest = this.head.subarray(end + 4);
      if (status >= 100 && status < 200) {
        this.head = rest; // informational: the real answer follows
        continue;
      }
      this.status = status;
      this.framing = this.framingOf(status, headerLines);
      this.head = Buffer.alloc(0);
      this.pushBody(rest);
      return true;
    }
  }

  /** The body when complete (or at the cap), else undefined; `closed` when the peer hung up. */
  body(closed: boolean): string | undefined {
    const framing = this.framing;
    if (!framing) return undefined;
    if ('none' in framing) return '';
    if ('chunked' in framing) {
      if (closed) framing.chunked.closed();
      return framing.chunked.complete ? framing.chunked.body() : undefined;
    }
    const want = 'length' in framing ? Math.min(framing.length, BODY_LIMIT) : BODY_LIMIT;
    if (this.kept >= want || (closed && 'untilClose' in framing)) return Buffer.concat(this.parts).subarray(0, want).toString('utf8');
    if (closed) throw bad(`body cut short: ${this.kept} of ${(framing as { length: number }).length} bytes`);
    return undefined;
  }

  private framingOf(status: number, lines: string[]): Framing {
    const headers = new Map<string, string[]>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    }
    if (this.method === 'HEAD' || status === 204 || status === 304) return { none: true };
    // chunked wins over Content-Length (RFC 9112 6.3)
    if (/\bchunked\b/i.test((headers.get('transfer-encoding') ?? []).join(','))) return { chunked: new ChunkedBody(BODY_LIMIT) };
    const length = headers.get('content-length');
    if (length !== undefined) return { length: contentLength(length) };
    return { untilClose: true };
  }

  private pushBody(bytes: Buffer): void {
    const framing = this.framing!;
    // only the status was asked for: the body is not read, nor kept
    if (!this.readBody || 'none' in framing || bytes.length === 0) return;
    if ('chunked' in framing) return framing.chunked.push(bytes);
    const keep = Math.min(bytes.length, BODY_LIMIT - this.kept);
    if (keep > 0) this.parts.push(bytes.subarray(0, keep));
    this.kept += keep;
  }
}
