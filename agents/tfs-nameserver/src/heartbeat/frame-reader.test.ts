import { describe, expect, it } from 'vitest';
import { CAPTURED } from '../../tests/fixtures/captured-bytes.ts';
import { FrameReader, FramingError } from './frame-reader.ts';
import { encodeHeartbeatReply } from './packet.ts';

describe('FrameReader', () => {
  it('assembles a packet delivered one byte at a time', () => {
    const reader = new FrameReader();
    for (let i = 0; i < CAPTURED.reply.length - 1; i++) {
      reader.push(CAPTURED.reply.subarray(i, i + 1));
      expect(reader.next()).toBeUndefined();
    }
    reader.push(CAPTURED.reply.subarray(-1));
    const packet = reader.next();
    expect(packet?.header.id).toBe(2n);
    expect(packet?.body.toString('hex')).toBe('01000000');
    expect(reader.next()).toBeUndefined();
  });

  it('splits two packets that arrive in one read', () => {
    const reader = new FrameReader();
    reader.push(Buffer.concat([encodeHeartbeatReply(3, 0), encodeHeartbeatReply(4, 1).subarray(0, 10)]));
    expect(reader.next()?.header.id).toBe(3n);
    expect(reader.next()).toBeUndefined();
    reader.push(encodeHeartbeatReply(4, 1).subarray(10));
    expect(reader.next()?.header.id).toBe(4n);
  });

  it('gives up for good on a wrong flag', () => {
    const reader = new FrameReader();
    reader.push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'));
    expect(() => reader.next()).toThrow(new FramingError('flag 0x50545448 is not a TFS packet flag'));
    reader.push(CAPTURED.reply);
    expect(() => reader.next()).toThrow(FramingError);
  });

  it('refuses a header that announces an absurd body', () => {
    const reader = new FrameReader();
    const header = Buffer.from(CAPTURED.reply.subarray(0, 24));
    header.writeUInt32LE(0x7fffffff, 4);
    reader.push(header);
    expect(() => reader.next()).toThrow('packet announces a 2147483647-byte body');
  });
});
