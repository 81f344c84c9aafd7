import { describe, expect, it } from 'vitest';
import { ReplyError } from './errors.ts';
import { RespParser, RespProtocolError } from './parser.ts';

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
