import { ProbeError } from './probe-error.ts';

/** A chunk-size line (size, extensions) longer than this is not HTTP: servers send a few bytes. */
export const CHUNK_LINE_LIMIT = 1024;
/** At most 8 hex digits (chunks under 4 GiB): more cannot be a health page, and would overflow. */
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;.*)?$/s;

type State = 'size' | 'data' | 'cr' | 'lf' | 'done';

function malformed(what: string): ProbeError {
  return new ProbeError('HTTP_BAD_RESPONSE', `malformed chunked body: ${what}`);
}

/**
 * Decodes a chunked body as it arrives (RFC 9112 7.1), keeping at most `limit` bytes of it.
 * Every step consumes input, so a peer's bytes are read once: time is linear in what it sends,
 * memory bounded by `limit` plus one chunk-size line. Trailers are not read (nothing needs them).
 */
export class ChunkedBody {
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineLength = 0;
  private left = 0;
  private readonly parts: Buffer[] = [];
  private kept = 0;

  constructor(private readonly limit: number) {}

  /** True once the last chunk came, or `limit` bytes of data did. */
  get complete(): boolean {
    return this.state === 'done' || this.kept >= this.limit;
  }

  /** Bytes held: kept data and a partial chunk-size line. */
  get buffered(): number {
    return this.kept + this.lineLength;
  }

  body(): string {
    return Buffer.concat(this.parts).subarray(0, this.limit).toString('utf8');
  }

  push(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length && !this.complete) {
      switch (this.state) {
        case 'size': {
          const lf = bytes.indexOf(10, at);
          const end = lf < 0 ? bytes.length : lf;
          this.lineLength += end - at;
          if (this.lineLength > CHUNK_LINE_LIMIT) throw malformed(`chunk-size line longer than ${CHUNK_LINE_LIMIT} bytes`);
          this.line.push(bytes.subarray(at, end));
          at = lf < 0 ? bytes.length : lf + 1;
          if (lf >= 0) this.endOfSizeLine();
          break;
        }
        case 'data': {
          const take = Math.min(this.left, bytes.length - at);
          const keep = Math.min(take, this.limit - this.kept);
          if (keep > 0) this.parts.push(bytes.subarray(at, at + keep));
          this.kept += keep;
          this.left -= take;
          at += take;
          if (this.left === 0) this.state = 'cr';
          break;
        }
        case 'cr':
        case 'lf':
          if (bytes[at] !== (this.state === 'cr' ? 13 : 10)) throw malformed('chunk data not followed by CRLF');
          this.state = this.state === 'cr' ? 'lf' : 'size';
          at += 1;
          break;
        case 'done':
          return;
      }
    }
  }

  /** Throws when the peer hung up before the last chunk. */
  closed(): void {
    if (!this.complete) throw new ProbeError('HTTP_BAD_RESPONSE', 'chunked body cut short');
  }

  private endOfSizeLine(): void {
    // a bare LF ends a line too (RFC 9112 2.2 lets a recipient accept it)
    const text = Buffer.concat(this.line).toString('latin1').replace(/\r$/, '');
    this.line = [];
    this.lineLength = 0;
    const match = CHUNK_SIZE.exec(text);
    if (!match) throw malformed(`chunk size ${JSON.stringify(text.slice(0, 40))}`);
    this.left = Number.parseInt(match[1]!, 16);
    this.state = this.left === 0 ? 'done' : 'data';
  }
}
