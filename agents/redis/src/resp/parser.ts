import { ReplyError } from './errors.ts';

// RESP2, the protocol every Redis since 1.2 speaks by default: `+simple`, `-error`, `:integer`,
// `$len\r\nbulk`, `*count` arrays, with `$-1` and `*-1` for null. Replies arrive in arbitrary
// fragments (a 5 KB INFO over TCP is several reads), so the parser keeps what it could not finish.

/** A decoded reply. Top-level errors are not values (the client rejects with them). */
export type Reply = string | number | null | ReplyError | Reply[];

/** A parsed top-level reply: a value or an error reply (`-ERR ...`). */
export type Parsed = { value: Reply } | { error: string };

export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

/** Redis caps a bulk string at 512 MB (proto-max-bulk-len default); more is garbage. */
const MAX_BULK = 512 * 1024 * 1024;
const MAX_ARRAY = 1 << 24;
const INCOMPLETE = Symbol('incomplete');

type Step = { value: Reply; next: number } | typeof INCOMPLETE;

function lineEnd(buf: Buffer, from: number): number {
  const cr = buf.indexOf(13, from);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  if (buf[cr + 1] !== 10) throw new RespProtocolError('CR not followed by LF');
  return cr;
}

function integer(text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`${what} is not an integer: ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

function describeStart(buf: Buffer, at: number): string {
  const text = buf.toString('latin1', at, Math.min(buf.length, at + 40)).split(/[\r\n]/)[0]!.trim();
  return JSON.stringify(text);
}

function parseAt(buf: Buffer, at: number): Step {
  if (at >= buf.length) return INCOMPLETE;
  const end = lineEnd(buf, at + 1);
  if (end === -1) {
    // a line that never ends is not a Redis reply either (an HTTP server's page, say)
    if (buf.length - at > 64 * 1024) throw new RespProtocolError(`reply line too long: ${describeStart(buf, at)}`);
    return INCOMPLETE;
  }
  const type = buf[at];
  const text = buf.toString('utf8', at + 1, end);
  const next = end + 2;
  switch (type) {
    case 0x2b: // +
      return { value: text, next };
    case 0x2d: // -
      return { value: new ReplyError(text), next };
    case 0x3a: // :
      return { value: integer(text, 'integer reply'), next };
    case 0x24: {
      // $
      const length = integer(text, 'bulk length');
      if (length === -1) return { value: null, next };
      if (length < -1 || length > MAX_BULK) throw new RespProtocolError(`invalid bulk length ${length}`);
      if (buf.length < next + length + 2) return INCOMPLETE;
      if (buf[next + length] !== 13 || buf[next + length + 1] !== 10) throw new RespProtocolError('bulk string not followed by CRLF');
      return { value: buf.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case 0x2a: {
      // *
      const count = integer(text, 'array length');
      if (count === -1) return { value: null, next };
      if (count < -1 || count > MAX_ARRAY) throw new RespProtocolError(`invalid array length ${count}`);
      const items: Reply[] = [];
      let cursor = next;
      for (let i = 0; i < count; i++) {
        const step = parseAt(buf, cursor);
        if (step === INCOMPLETE) return INCOMPLETE;
        items.push(step.value);
        cursor = step.next;
      }
      return { value: items, next: cursor };
    }
    default:
      throw new RespProtocolError(`not a Redis reply: ${describeStart(buf, at)}`);
  }
}

/**
 * Incremental parser: `feed` each chunk as it arrives, get back every reply it completed. A reply
 * split across chunks is re-read from its start once more data comes (replies here are small).
 */
export class RespParser {
  private pending: Buffer | undefined;

  feed(chunk: Buffer): Parsed[] {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Parsed[] = [];
    let at = 0;
    for (;;) {
      const step = parseAt(buf, at);
      if (step === INCOMPLETE) break;
      out.push(step.value instanceof ReplyError ? { error: step.value.message } : { value: step.value });
      at = step.next;
    }
    this.pending = at < buf.length ? buf.subarray(at) : undefined;
    return out;
  }

  /** Bytes received but not yet a whole reply. */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }
}
