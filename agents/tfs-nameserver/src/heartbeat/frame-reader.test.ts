import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPTURED } from '../../tests/fixtures/captured-bytes.ts';
import { FrameReader, FramingError } from './frame-reader.ts';
import { encodeHeartbeatReply, encodePacket, HEADER_LENGTH, HEARTBEAT_PCODE, MAX_BODY_LENGTH } from './packet.ts';

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

describe('FrameReader against any peer', () => {
  function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
    const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    return [...at, bytes.length].map((cut, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], cut));
  }

  /**
   * Push every piece and drain as the connection does: each `next()` returns a packet (whose
   * bytes it consumed), undefined, or throws FramingError; after draining it holds less than one
   * packet. Anything else fails the property.
   */
  function drain(input: Buffer[]): { packets: number; error?: FramingError } {
    const reader = new FrameReader();
    let packets = 0;
    let consumed = 0;
    let fed = 0;
    for (const piece of input) {
      reader.push(piece);
      fed += piece.length;
      for (;;) {
        let packet;
        try {
          packet = reader.next();
        } catch (error) {
          if (error instanceof FramingError) return { packets, error };
          throw error;
        }
        if (!packet) break;
        packets++;
        consumed += HEADER_LENGTH + packet.body.length;
        expect(consumed).toBeLessThanOrEqual(fed);
      }
      expect(reader.buffered).toBeLessThan(HEADER_LENGTH + MAX_BODY_LENGTH);
      expect(reader.buffered).toBe(fed - consumed);
    }
    return { packets };
  }

  it('answers arbitrary bytes, however cut, holding less than one packet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        drain(pieces(Buffer.from(bytes), cuts));
      }),
    );
  });

  it('answers streams of real and hostile packets (lengths up to 2^32-1), however cut', () => {
    const packet = fc.oneof(
      fc.record({ pcode: fc.integer({ min: 0, max: 0xffff }), id: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), body: fc.uint8Array({ maxLength: 64 }) }).map((p) => encodePacket(p.pcode, p.id, p.body)),
      fc.integer({ min: 0, max: 0xffffffff }).map((length) => {
        const header = encodePacket(HEARTBEAT_PCODE, 2n, new Uint8Array());
        header.writeUInt32LE(length, 4);
        return header;
      }),
      fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b)),
    );
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), (packets, cuts) => {
        drain(pieces(Buffer.concat(packets), cuts));
      }),
    );
  });

  it('reads back every well-formed packet, however cut', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 12 }), (bodies, cuts) => {
        const wire = Buffer.concat(bodies.map((body, i) => encodePacket(HEARTBEAT_PCODE, BigInt(i + 1), body)));
        expect(drain(pieces(wire, cuts))).toEqual({ packets: bodies.length });
      }),
    );
  });

  it('holds nothing more once the stream is broken', () => {
    const reader = new FrameReader();
    reader.push(Buffer.from('GET / HTTP/1.1\r\n'));
    expect(() => reader.next()).toThrow(FramingError);
    reader.push(Buffer.alloc(65536));
    expect(reader.buffered).toBe(16);
  });
});
