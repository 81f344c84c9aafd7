import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_LINE_LIMIT } from './chunked-body.ts';
import { ProbeError } from './probe-error.ts';
import { BODY_LIMIT, HEADER_LIMIT, ResponseParser } from './response-parser.ts';

const BOUND = HEADER_LIMIT + BODY_LIMIT + CHUNK_LINE_LIMIT;

function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((cut, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], cut));
}

/**
 * What the probe does with a peer's bytes: push each piece, ask for the body, and at the end
 * tell the parser the peer closed. It must answer (a body, or a ProbeError) and never hold more
 * than its bounds; anything else fails the property.
 */
function read(input: Buffer[]): string | ProbeError {
  const parser = new ResponseParser('GET');
  try {
    for (const piece of input) {
      const headed = parser.push(piece);
      expect(parser.buffered).toBeLessThanOrEqual(BOUND);
      const body = headed ? parser.body(false) : undefined;
      if (body !== undefined) return body;
    }
    const body = parser.body(true);
    if (body !== undefined) return body;
    return new ProbeError('CLOSED', 'closed without an answer');
  } catch (error) {
    if (error instanceof ProbeError) return error;
    throw error;
  }
}

const statusLine = fc.constantFrom('HTTP/1.1 200 OK\r\n', 'HTTP/1.0 503 x\r\n', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n', 'HTTP/2 200\r\n', 'SSH-2.0\r\n');
const header = fc.constantFrom(
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: gzip, chunked\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: -6\r\n',
  'Content-Length: 5, 5\r\n',
  'Content-Length: 99999999999999999999\r\n',
  'Connection: close\r\n',
  'X-No-Colon\r\n',
  ': empty\r\n',
);
const bodyToken = fc.constantFrom('-6\r\n', '5\r\n', '0\r\n\r\n', 'ffffffff\r\n', 'hello', '\r\n', 'x'.repeat(700), '\x00\xff');

describe('ResponseParser', () => {
  it('answers any response made of real and hostile parts, however cut, within its bounds', () => {
    fc.assert(
      fc.property(statusLine, fc.array(header, { maxLength: 4 }), fc.array(bodyToken, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (status, headers, body, cuts) => {
        read(pieces(Buffer.from(`${status}${headers.join('')}\r\n${body.join('')}`, 'latin1'), cuts));
      }),
    );
  });

  it('answers arbitrary bytes within its bounds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        read(pieces(Buffer.from(bytes), cuts));
      }),
    );
  });

  it('reads a body framed by length, by chunks or by the close, however cut', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('length', 'chunked', 'close'), fc.array(fc.nat(), { maxLength: 10 }), (text, framing, cuts) => {
        const body = Buffer.from(text);
        const head = framing === 'length' ? `Content-Length: ${body.length}\r\n` : framing === 'chunked' ? 'Transfer-Encoding: chunked\r\n' : '';
        const encoded = framing === 'chunked' ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
        const wire = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\n${head}\r\n`), encoded]);
        // an empty chunked body is the last chunk alone
        const input = framing === 'chunked' && body.length === 0 ? Buffer.from(`HTTP/1.1 200 OK\r\n${head}\r\n0\r\n\r\n`) : wire;
        expect(read(pieces(input, cuts))).toBe(text);
      }),
    );
  });

  it('keeps at most 64 KiB of a body, however long the peer goes on', () => {
    const parser = new ResponseParser('GET');
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n'));
    for (let i = 0; i < 64; i++) parser.push(Buffer.alloc(16 * 1024, 0x61));
    expect(parser.buffered).toBe(BODY_LIMIT);
    expect(parser.body(false)).toHaveLength(BODY_LIMIT);
  });

  it.each([
    ['a negative chunk size', 'Transfer-Encoding: chunked\r\n\r\n-6\r\n{"ok"}\r\n0\r\n\r\n', 'malformed chunked body: chunk size "-6"'],
    ['a negative Content-Length', 'Content-Length: -2\r\n\r\nok', 'invalid Content-Length "-2"'],
    ['Content-Lengths that disagree', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\nok!', 'invalid Content-Length "2, 3"'],
  ])('rejects %s as soon as it arrives', (_what, rest, message) => {
    const parser = new ResponseParser('GET');
    expect(() => parser.push(Buffer.from(`HTTP/1.1 200 OK\r\n${rest}`))).toThrow(new ProbeError('HTTP_BAD_RESPONSE', message));
  });

  it('reads no body for HEAD, 204 and 304, nor when only the status was asked for', () => {
    const head = new ResponseParser('HEAD');
    head.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'));
    expect(head.body(false)).toBe('');
    const statusOnly = new ResponseParser('GET', false);
    statusOnly.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-6\r\n'));
    expect([statusOnly.status, statusOnly.buffered]).toEqual([200, 0]);
  });
});
