import { describe, expect, it } from 'vitest';
import { CAPTURED } from '../../tests/fixtures/captured-bytes.ts';
import {
  decodeHeader,
  decodeHeartbeatBody,
  encodeHeartbeatBody,
  encodeHeartbeatReply,
  encodeHeartbeatRequest,
  encodePacket,
  heartbeatProblem,
  HEARTBEAT_PCODE,
  TFS_PACKET_FLAG,
} from './packet.ts';

describe('heartbeat packets', () => {
  it('encodes ha_monitor\'s requests byte for byte', () => {
    expect(encodeHeartbeatRequest({ id: 2 }).toString('hex')).toBe(CAPTURED.request.toString('hex'));
    expect(encodeHeartbeatRequest({ id: 2n, switchFlag: 0 }).toString('hex')).toBe(CAPTURED.request.toString('hex'));
    expect(encodeHeartbeatRequest({ id: 2, switchFlag: 1 }).toString('hex')).toBe(CAPTURED.requestSwitch.toString('hex'));
  });

  it('encodes the NameServer\'s reply byte for byte', () => {
    expect(encodeHeartbeatReply(2, 1).toString('hex')).toBe(CAPTURED.reply.toString('hex'));
  });

  it('decodes the captured reply', () => {
    expect(decodeHeader(CAPTURED.reply)).toEqual({ flag: TFS_PACKET_FLAG, length: 4, pcode: 54, version: 2, id: 2n, crc: 0x88366ce2 });
    expect(decodeHeartbeatBody(CAPTURED.reply.subarray(24))).toEqual({ switchFlag: 0, status: 1 });
    expect(decodeHeartbeatBody(CAPTURED.requestSwitch.subarray(24))).toEqual({ switchFlag: 1, status: 0 });
    expect(heartbeatProblem({ header: decodeHeader(CAPTURED.reply), body: CAPTURED.reply.subarray(24) })).toBeUndefined();
  });

  it('keeps the status signed: -1 (none) is 0xffff on the wire', () => {
    const body = encodeHeartbeatBody(0, -1);
    expect(body.toString('hex')).toBe('ffff0000');
    expect(decodeHeartbeatBody(body).status).toBe(-1);
    expect(decodeHeartbeatBody(encodeHeartbeatBody(1, 0))).toEqual({ switchFlag: 1, status: 0 });
  });

  it('says what is wrong with a packet that is not a heartbeat reply', () => {
    const bad = Buffer.from(CAPTURED.reply);
    bad[24] = 2; // body changed, checksum not
    expect(heartbeatProblem({ header: decodeHeader(bad), body: bad.subarray(24) })).toBe(
      'checksum mismatch (header 0x88366ce2, body 0x' + encodePacket(54, 2, bad.subarray(24)).readUInt32LE(20).toString(16).padStart(8, '0') + ')',
    );
    const other = encodePacket(12, 2, Buffer.from([1, 0, 0, 0]));
    expect(heartbeatProblem({ header: decodeHeader(other), body: other.subarray(24) })).toBe(`unexpected pcode 12 (heartbeat is ${HEARTBEAT_PCODE})`);
    const short = encodePacket(HEARTBEAT_PCODE, 2, Buffer.from([1]));
    expect(heartbeatProblem({ header: decodeHeader(short), body: short.subarray(24) })).toBe('heartbeat body of 1 bytes (expected 4)');
  });

  it('refuses to decode less than a header', () => {
    expect(() => decodeHeader(CAPTURED.reply.subarray(0, 23))).toThrow('a TFS header is 24 bytes, got 23');
  });
});
