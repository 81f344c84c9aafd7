import { HEADER_LENGTH, MAX_BODY_LENGTH, TFS_PACKET_FLAG, decodeHeader, type Packet } from './packet.ts';

/** The stream cannot be a TFS packet stream any more: the only way on is to close the connection. */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/**
 * Cuts a TCP byte stream into packets: TCP may deliver a reply in pieces, or two replies in one
 * read. A wrong flag or an absurd length means we lost the packet boundaries (or the peer is
 * not a NameServer): `next()` throws FramingError and the reader stays broken.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private broken: FramingError | undefined;

  push(chunk: Buffer): void {
    if (this.broken) return; // nothing after lost boundaries is read: hold none of it
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** Bytes received and not yet returned as a packet: at most one packet once `next()` says undefined. */
  get buffered(): number {
    return this.pending.length;
  }

  /** The next complete packet, or undefined until enough bytes have arrived. */
  next(): Packet | undefined {
    if (this.broken) throw this.broken;
    if (this.pending.length < 4) return undefined;
    const flag = this.pending.readUInt32LE(0);
    if (flag !== TFS_PACKET_FLAG) {
      throw (this.broken = new FramingError(`flag 0x${flag.toString(16).padStart(8, '0')} is not a TFS packet flag`));
    }
    if (this.pending.length < HEADER_LENGTH) return undefined;
    const header = decodeHeader(this.pending);
    if (header.length > MAX_BODY_LENGTH) {
      throw (this.broken = new FramingError(`packet announces a ${header.length}-byte body`));
    }
    const end = HEADER_LENGTH + header.length;
    if (this.pending.length < end) return undefined;
    const body = Buffer.from(this.pending.subarray(HEADER_LENGTH, end));
    this.pending = this.pending.subarray(end);
    return { header, body };
  }
}
