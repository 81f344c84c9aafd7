import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyError } from './errors.ts';
import { MAX_DEPTH, MAX_REPLY, RespParser, RespProtocolError, type Parsed, type Reply } from './parser.ts';

const feedAll = (...chunks: string[]) => {
  const parser = new RespParser();
  return chunks.flatMap((c) => parser.feed(Buffer.from(c, 'latin1')));
};

describe('RespParser', () => {
  it('reads every RESP2 type', () => {
    expect(feedAll('+OK\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n')).toEqual([
      { value: 'OK' },
      { value: 42 },
      { value: -7 },
      { value: 'hello' },
      { value: '' },
      { value: null },
      { value: null },
      { value: [] },
    ]);
  });

  it('returns a top-level error reply as an error, and nested ones as ReplyError values', () => {
    expect(feedAll('-NOAUTH Authentication required.\r\n*2\r\n+OK\r\n-ERR no\r\n')).toEqual([
      { error: 'NOAUTH Authentication required.' },
      { value: ['OK', new ReplyError('ERR no')] },
    ]);
  });

  it('reads nested arrays with nulls inside', () => {
    expect(feedAll('*3\r\n*2\r\n$1\r\na\r\n:1\r\n$-1\r\n*-1\r\n')).toEqual([{ value: [['a', 1], null, null] }]);
  });

  it('keeps bulk strings binary-safe: CRLF inside the payload', () => {
    expect(feedAll('$4\r\na\r\nb\r\n')).toEqual([{ value: 'a\r\nb' }]);
  });

  it('decodes bulk strings as UTF-8 even when a character is split between chunks', () => {
    const bytes = Buffer.from('$2\r\né\r\n', 'utf8');
    const parser = new RespParser();
    const first = parser.feed(bytes.subarray(0, 5));
    const second = parser.feed(bytes.subarray(5));
    expect(first).toEqual([]);
    expect(second).toEqual([{ value: 'é' }]);
  });

  it('completes replies fed one byte at a time, and several replies in one chunk', () => {
    const text = '*2\r\n$4\r\nrole\r\n:10\r\n+PONG\r\n';
    const parser = new RespParser();
    const out = [];
    for (const byte of Buffer.from(text)) out.push(...parser.feed(Buffer.from([byte])));
    expect(out).toEqual([{ value: ['role', 10] }, { value: 'PONG' }]);
    expect(parser.buffered).toBe(0);
  });

  it('holds a partial reply until it completes', () => {
    const parser = new RespParser();
    expect(parser.feed(Buffer.from('+OK\r\n$10\r\n0123'))).toEqual([{ value: 'OK' }]);
    expect(parser.buffered).toBe(9);
    expect(parser.feed(Buffer.from('456789\r'))).toEqual([]);
    expect(parser.feed(Buffer.from('\n'))).toEqual([{ value: '0123456789' }]);
  });

  it.each([
    ['another protocol', 'HTTP/1.1 400 Bad Request\r\n', 'not a Redis reply: "HTTP/1.1 400 Bad Request"'],
    ['a bad integer', ':12a\r\n', 'integer reply is not an integer: "12a"'],
    ['a negative bulk length', '$-2\r\n', 'invalid bulk length -2'],
    ['a bulk without CRLF', '$2\r\nabcd\r\n', 'bulk string not followed by CRLF'],
    ['CR without LF', '+OK\rX\n', 'CR not followed by LF'],
  ])('rejects %s', (_what, input, message) => {
    expect(() => feedAll(input)).toThrow(new RespProtocolError(message));
  });
});

/** `bytes` cut at the given points, as a socket may deliver them. */
function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((cut, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], cut));
}

function encode(reply: Reply): string {
  if (reply === null) return '$-1\r\n';
  if (typeof reply === 'number') return `:${reply}\r\n`;
  if (typeof reply === 'string') return `$${Buffer.byteLength(reply)}\r\n${reply}\r\n`;
  if (reply instanceof ReplyError) return `-${reply.message}\r\n`;
  return `*${reply.length}\r\n${reply.map(encode).join('')}`;
}

/**
 * Feed every piece: what a peer's bytes may do is complete replies, wait for more, or fail with
 * a RespProtocolError, holding no more than MAX_REPLY meanwhile. Anything else (a RangeError from
 * recursion, say) fails the property.
 */
function feedPieces(input: Buffer[]): Parsed[] | RespProtocolError {
  const parser = new RespParser();
  const out: Parsed[] = [];
  try {
    for (const piece of input) {
      out.push(...parser.feed(piece));
      expect(parser.buffered).toBeLessThanOrEqual(MAX_REPLY);
    }
  } catch (error) {
    if (error instanceof RespProtocolError) return error;
    throw error;
  }
  return out;
}

describe('RespParser against any peer', () => {
  const reply = fc.letrec<{ reply: Reply }>((tie) => ({
    reply: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.stringMatching(/^ERR [a-z ]{0,20}$/).map((m) => new ReplyError(m)),
      fc.array(tie('reply'), { maxLength: 4 }),
    ),
  })).reply;

  it('reads back any reply, however it is cut', () => {
    fc.assert(
      fc.property(fc.array(reply.filter((r) => !(r instanceof ReplyError)), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 12 }), (replies, cuts) => {
        const out = feedPieces(pieces(Buffer.from(replies.map(encode).join('')), cuts));
        expect(out).toEqual(replies.map((value) => ({ value })));
      }),
    );
  });

  it('answers arbitrary bytes within its bounds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        feedPieces(pieces(Buffer.from(bytes), cuts));
      }),
    );
  });

  it('answers hostile framing (negative and huge lengths, deep nesting, missing CRLFs) within its bounds', () => {
    const token = fc.constantFrom('*1\r\n', '*-5\r\n', '*99999999\r\n', '*5000000\r\n', '$-7\r\n', '$16777216\r\n', '$3\r\n', 'abc', '\r\n', '\r', ':1\r\n', ':99999999999999999999\r\n', '+OK', '-ERR x\r\n');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 12 }), (tokens, cuts) => {
        feedPieces(pieces(Buffer.from(tokens.join('')), cuts));
      }),
    );
  });

  it('rejects nesting deeper than MAX_DEPTH without recursing', () => {
    const out = feedPieces([Buffer.from('*1\r\n'.repeat(200_000))]);
    expect(out).toEqual(new RespProtocolError(`replies nested deeper than ${MAX_DEPTH} levels`));
  });

  it.each([
    ['a bulk longer than any reply', '$536870000\r\n', 'invalid bulk length 536870000'],
    ['an array longer than any reply', '*16000000\r\n', 'invalid array length 16000000'],
  ])('rejects %s as soon as its length arrives', (_what, input, message) => {
    expect(feedPieces([Buffer.from(input)])).toEqual(new RespProtocolError(message));
  });

  it('stops an array of bulks at MAX_REPLY, holding no more meanwhile', () => {
    const bulk = Buffer.from(`$1000000\r\n${'x'.repeat(1_000_000)}\r\n`);
    const input = [Buffer.from('*1000\r\n'), ...Array.from({ length: 40 }, () => bulk)];
    expect(feedPieces(input)).toEqual(new RespProtocolError('reply larger than 16 MiB'));
  });
});
