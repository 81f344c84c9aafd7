import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_LINE_LIMIT, ChunkedBody } from './chunked-body.ts';
import { ProbeError } from './probe-error.ts';

const LIMIT = 256;

/** `bytes` cut at the given points, as TCP may deliver them. */
function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  return out;
}

/**
 * Feed everything; what a peer's bytes may do: complete, wait for more, or fail with a
 * ProbeError. Holding more than the bounds allow, or any other error, fails the property.
 */
function feed(decoder: ChunkedBody, input: Buffer[]): 'complete' | 'waiting' | ProbeError {
  for (const piece of input) {
    try {
      decoder.push(piece);
    } catch (error) {
      if (error instanceof ProbeError && error.code === 'HTTP_BAD_RESPONSE') return error;
      throw error;
    }
    expect(decoder.buffered).toBeLessThanOrEqual(LIMIT + CHUNK_LINE_LIMIT);
    if (decoder.complete) return 'complete';
  }
  return 'waiting';
}

const encode = (chunks: Uint8Array[], extension: string) =>
  Buffer.concat([...chunks.map((c) => Buffer.concat([Buffer.from(`${c.length.toString(16)}${extension}\r\n`), c, Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')]);

describe('ChunkedBody', () => {
  it('decodes any chunked body, however it is cut, up to its limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 120 }), { maxLength: 8 }),
        fc.constantFrom('', ';name=value', ' ;x'),
        fc.array(fc.nat(), { maxLength: 12 }),
        (chunks, extension, cuts) => {
          const decoder = new ChunkedBody(LIMIT);
          expect(feed(decoder, pieces(encode(chunks, extension), cuts))).toBe('complete');
          expect(decoder.body()).toBe(Buffer.concat(chunks).subarray(0, LIMIT).toString('utf8'));
        },
      ),
    );
  });

  it('answers any bytes at all, within its bounds: complete, waiting, or a ProbeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 * CHUNK_LINE_LIMIT }), fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        feed(new ChunkedBody(LIMIT), pieces(Buffer.from(bytes), cuts));
      }),
    );
  });

  it('answers hostile framing (negative, huge and non-hex sizes, missing CRLFs) within its bounds', () => {
    const token = fc.constantFrom('-6\r\n', '-1\r\n', 'ffffffffff\r\n', '7fffffff\r\n', '0x10\r\n', '6x\r\n', ' 5\r\n', '5\r\n', '1\r\n', 'abcdef', '\r\n', '\n', '\r', ';', 'x'.repeat(600));
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (tokens, cuts) => {
        feed(new ChunkedBody(LIMIT), pieces(Buffer.from(tokens.join(''), 'latin1'), cuts));
      }),
    );
  });

  it.each([
    ['a negative size', '-6\r\n{"ok"}\r\n0\r\n\r\n', 'malformed chunked body: chunk size "-6"'],
    ['a size that is not hex', '6x\r\n', 'malformed chunked body: chunk size "6x"'],
    ['a size of more than 8 hex digits', '100000000\r\n', 'malformed chunked body: chunk size "100000000"'],
    ['data longer than its size', '2\r\nokXX\r\n', 'malformed chunked body: chunk data not followed by CRLF'],
    ['a size line without end', 'a'.repeat(CHUNK_LINE_LIMIT + 1), `malformed chunked body: chunk-size line longer than ${CHUNK_LINE_LIMIT} bytes`],
  ])('rejects %s at once', (_what, input, message) => {
    const decoder = new ChunkedBody(LIMIT);
    expect(() => decoder.push(Buffer.from(input, 'latin1'))).toThrow(new ProbeError('HTTP_BAD_RESPONSE', message));
  });

  it('accepts a bare LF after the size, and says when the peer hung up too early', () => {
    const decoder = new ChunkedBody(LIMIT);
    decoder.push(Buffer.from('2\nok\r\n3\r\nyes'));
    expect(decoder.complete).toBe(false);
    expect(() => decoder.closed()).toThrow(new ProbeError('HTTP_BAD_RESPONSE', 'chunked body cut short'));
    decoder.push(Buffer.from('\r\n0\r\n\r\n'));
    expect([decoder.complete, decoder.body()]).toEqual([true, 'okyes']);
  });
});
