import { tfsCrc } from './crc.ts';

// The TFS wire format (tbnet + TFS's BasePacketStreamer), little-endian throughout:
//   0 flag u32 "TFSN" | 4 body length u32 | 8 pcode u16 | 10 version u16 | 12 id u64 | 20 crc u32 | 24 body

/** Every packet starts with these bytes: 54 46 53 4e. */
export const TFS_PACKET_FLAG = 0x4e534654;
export const HEADER_LENGTH = 24;
/** HEARTBEAT_AND_NS_HEART_MESSAGE: what ha_monitor sends and the NameServer answers. */
export const HEARTBEAT_PCODE = 54;
/** Version 2 packets carry the channel id, and the reply echoes it. */
export const PACKET_VERSION = 2;
/** A heartbeat body is 4 bytes; a header announcing more than this means the stream is not TFS. */
export const MAX_BODY_LENGTH = 64 * 1024;

export interface PacketHeader {
  flag: number;
  length: number;
  pcode: number;
  version: number;
  /** Channel id: the NameServer ignores a request whose id is 0. */
  id: bigint;
  crc: number;
}

export interface Packet {
  header: PacketHeader;
  body: Buffer;
}

/** A whole packet: header (with the body's checksum) and body. */
export function encodePacket(pcode: number, id: bigint | number, body: Uint8Array, version = PACKET_VERSION): Buffer {
  const packet = Buffer.alloc(HEADER_LENGTH + body.length);
  packet.writeUInt32LE(TFS_PACKET_FLAG, 0);
  packet.writeUInt32LE(body.length, 4);
  packet.writeUInt16LE(pcode, 8);
  packet.writeUInt16LE(version, 10);
  packet.writeBigUInt64LE(BigInt(id), 12);
  packet.writeUInt32LE(tfsCrc(body), 20);
  packet.set(body, HEADER_LENGTH);
  return packet;
}

/** The first 24 bytes of a packet, as they are (nothing checked). */
export function decodeHeader(bytes: Uint8Array): PacketHeader {
  if (bytes.length < HEADER_LENGTH) throw new RangeError(`a TFS header is ${HEADER_LENGTH} bytes, got ${bytes.length}`);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, HEADER_LENGTH);
  return {
    flag: view.readUInt32LE(0),
    length: view.readUInt32LE(4),
    pcode: view.readUInt16LE(8),
    version: view.readUInt16LE(10),
    id: view.readBigUInt64LE(12),
    crc: view.readUInt32LE(20),
  };
}

/** The heartbeat body: int32 `(switch_flag << 16) | (status & 0xffff)`. */
export function encodeHeartbeatBody(switchFlag: number, status: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32LE(((switchFlag << 16) | (status & 0xffff)) | 0, 0);
  return body;
}

/** The two halves of a heartbeat body; the status is the signed low 16 bits (-1 = none). */
export function decodeHeartbeatBody(body: Uint8Array): { switchFlag: number; status: number } {
  if (body.length < 4) throw new RangeError(`a heartbeat body is 4 bytes, got ${body.length}`);
  const view = Buffer.from(body.buffer, body.byteOffset, 4);
  return { switchFlag: view.readInt16LE(2), status: view.readInt16LE(0) };
}

export interface HeartbeatRequest {
  /** Must not be 0: the NameServer does not answer a request with id 0. */
  id: bigint | number;
  /** 1 asks the NameServer to re-check its role at once (the switch). */
  switchFlag?: number;
}

/** What ha_monitor sends: a heartbeat with status 0 and the switch flag. */
export function encodeHeartbeatRequest(request: HeartbeatRequest): Buffer {
  return encodePacket(HEARTBEAT_PCODE, request.id, encodeHeartbeatBody(request.switchFlag ?? 0, 0));
}

/** What the NameServer sends back: the same pcode, version and id, its own status in the body. */
export function encodeHeartbeatReply(id: bigint | number, status: number): Buffer {
  return encodePacket(HEARTBEAT_PCODE, id, encodeHeartbeatBody(0, status));
}

/** Why a packet cannot be a heartbeat reply, or undefined when it is one. */
export function heartbeatProblem(packet: Packet): string | undefined {
  const { header, body } = packet;
  const crc = tfsCrc(body);
  if (crc !== header.crc) return `checksum mismatch (header 0x${hex(header.crc)}, body 0x${hex(crc)})`;
  if (header.pcode !== HEARTBEAT_PCODE) return `unexpected pcode ${header.pcode} (heartbeat is ${HEARTBEAT_PCODE})`;
  if (body.length < 4) return `heartbeat body of ${body.length} bytes (expected 4)`;
  return undefined;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
