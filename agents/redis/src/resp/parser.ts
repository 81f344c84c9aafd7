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

/**
 * The largest reply this agent takes: INFO is a few KiB, CONFIG GET * tens. Redis itself would
 * send a 512 MB bulk (proto-max-bulk-len), but nothing the agent asks for comes near this, and a
 * peer must not make it buffer more.
 */
export const MAX_REPLY = 16 * 1024 * 1024;
/** Arrays in replies the agent reads nest two or three deep (ROLE); hiredis stops at 7. */
export const MAX_DEPTH = 32;
/** Every element takes at least 3 bytes ("+\r\n"): a longer count cannot fit in MAX_REPLY. */
const MAX_ARRAY = Math.floor(MAX_REPLY / 3);
/** A line (status, error, integer, length) with no end in sight is not a Redis reply. */
const MAX_LINE = 64 * 1024;

/** One element read: a value, the header of an array whose elements follow, or not there yet. */
type Element = { value: Reply; next: number } | { open: number; next: number } | { need: number };

function lineEnd(buf: Buffer, from: number): number {
  const cr = buf.indexOf(13, from);
  if (cr === -1 || cr + 1 >= buf.length) return -1;
  if (buf[cr + 1] !== 10) throw new RespProtocolError('CR not followed by LF');
  return cr;
}

function integer(text: string, what: string): number {
  if (!/^-?\d{1,19}$/.test(text)) throw new RespProtocolError(`${what} is not an integer: ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}

function describeStart(buf: Buffer, at: number): string {
  const text = buf.toString('latin1', at, Math.min(buf.length, at + 40)).split(/[\r\n]/)[0]!.trim();
  return JSON.stringify(text);
}

/** The element at `at`; `need` counts the bytes from `at` it takes at least, when incomplete. */
function elementAt(buf: Buffer, at: number): Element {
  const end = lineEnd(buf, at + 1);
  if (end === -1) {
    if (buf.length - at > MAX_LINE) throw new RespProtocolError(`reply line too long: ${describeStart(buf, at)}`);
    return { need: buf.length - at + 1 };
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
      if (length < -1 || length > MAX_REPLY) throw new RespProtocolError(`invalid bulk length ${length}`);
      if (buf.length < next + length + 2) return { need: next + length + 2 - at };
      if (buf[next + length] !== 13 || buf[next + length + 1] !== 10) throw new RespProtocolError('bulk string not followed by CRLF');
      return { value: buf.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case 0x2a: {
      // *
      const count = integer(text, 'array length');
      if (count === -1) return { value: null, next };
      if (count < -1 || count > MAX_ARRAY) throw new RespProtocolError(`invalid array length ${count}`);
      return count === 0 ? { value: [], next } : { open: count, next };
    }
    default:
      throw new RespProtocolError(`not a Redis reply: ${describeStart(buf, at)}`);
  }
}

function tooLarge(): RespProtocolError {
  return new RespProtocolError(`reply larger than ${MAX_REPLY / (1024 * 1024)} MiB`);
}

/** An array whose elements are still arriving. */
interface Open {
  readonly items: Reply[];
  left: number;
}

/**
 * Incremental parser: `feed` each chunk as it arrives, get back every reply it completed. Arrays
 * are kept open on a stack while their elements arrive, so each byte is parsed once and nothing
 * recurses: time is linear in what the peer sends, memory bounded by MAX_REPLY and MAX_DEPTH.
 */
export class RespParser {
  /** Bytes of an element not complete yet, and how many it needs at least before a new look. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = 0;
  private readonly open: Open[] = [];
  /** Bytes of the reply in progress already parsed into `open`. */
  private replyBytes = 0;

  feed(chunk: Buffer): Parsed[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.need) {
      this.checkSize();
      return [];
    }
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const out: Parsed[] = [];
    let at = 0;
    this.need = 0;
    while (at < buf.length) {
      const element = elementAt(buf, at);
      if ('need' in element) {
        this.need = element.need;
        break;
      }
      this.replyBytes += element.next - at;
      at = element.next;
      if (this.replyBytes > MAX_REPLY) throw tooLarge();
      if ('open' in element) {
        if (this.open.length >= MAX_DEPTH) throw new RespProtocolError(`replies nested deeper than ${MAX_DEPTH} levels`);
        this.open.push({ items: [], left: element.open });
        continue;
      }
      const reply = this.close(element.value);
      if (reply === undefined) continue;
      out.push(reply.value instanceof ReplyError ? { error: reply.value.message } : { value: reply.value });
      this.replyBytes = 0;
    }
    const rest = buf.subarray(at);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    this.checkSize();
    return out;
  }

  /** Bytes received but not yet a whole reply. */
  get buffered(): number {
    return this.replyBytes + this.pendingBytes;
  }

  /** Put a value in the arrays it completes; the whole reply once the outermost one is full. */
  private close(value: Reply): { value: Reply } | undefined {
    let done = value;
    for (;;) {
      const top = this.open.at(-1);
      if (!top) return { value: done };
      top.items.push(done);
      if (--top.left > 0) return undefined;
      this.open.pop();
      done = top.items;
    }
  }

  /** What is held for the reply in progress stays within MAX_REPLY. */
  private checkSize(): void {
    if (this.replyBytes + this.pendingBytes > MAX_REPLY) throw tooLarge();
  }
}
