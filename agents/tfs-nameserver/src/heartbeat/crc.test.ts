import { describe, expect, it } from 'vitest';
import { CAPTURED } from '../../tests/fixtures/captured-bytes.ts';
import { tfsCrc, TFS_CRC_SEED } from './crc.ts';

describe('tfsCrc', () => {
  it('gives the checksums of the captured packets', () => {
    expect(tfsCrc(CAPTURED.request.subarray(24))).toBe(CAPTURED.request.readUInt32LE(20));
    expect(tfsCrc(CAPTURED.requestSwitch.subarray(24))).toBe(CAPTURED.requestSwitch.readUInt32LE(20));
    expect(tfsCrc(CAPTURED.reply.subarray(24))).toBe(CAPTURED.reply.readUInt32LE(20));
    expect(tfsCrc(Buffer.from([0, 0, 0, 0]))).toBe(0x308a0b87);
  });

  it('is the seed itself for an empty body (no inversion before or after)', () => {
    expect(tfsCrc(Buffer.alloc(0))).toBe(TFS_CRC_SEED);
  });

  it('equals the zlib form ~crc32(body, ~seed)', async () => {
    const zlib = await import('node:zlib');
    const crc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
    if (!crc32) return; // zlib.crc32 is Node 20.15+; the captured bytes above are the real check
    const body = Buffer.from('any body at all');
    expect(tfsCrc(body)).toBe(~crc32(body, ~TFS_CRC_SEED >>> 0) >>> 0);
    // every byte value in every position a short body has, and a long body
    for (const length of [1, 2, 3, 4, 7, 64, 1000]) {
      const data = Buffer.from(Array.from({ length }, (_, i) => (i * 97 + length * 31) & 0xff));
      expect(tfsCrc(data), `length ${length}`).toBe(~crc32(data, ~TFS_CRC_SEED >>> 0) >>> 0);
    }
    for (let value = 0; value < 256; value++) {
      const data = Buffer.from([value, 255 - value]);
      expect(tfsCrc(data), `bytes ${value}, ${255 - value}`).toBe(~crc32(data, ~TFS_CRC_SEED >>> 0) >>> 0);
    }
  });
});
