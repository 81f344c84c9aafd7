// The checksum of a TFS packet body: the table CRC-32 of zlib (reflected polynomial
// 0xEDB88320) but seeded with the packet flag 0x4e534654 and with no inversion before or after.
// zlib's crc32() would give a different number: in its terms this is ~crc32(body, ~0x4e534654).

const POLYNOMIAL = 0xedb88320;

/** The seed TFS uses: the packet flag ("TFSN"). */
export const TFS_CRC_SEED = 0x4e534654;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The checksum TFS puts in a packet header for `data` (unsigned 32-bit). */
export function tfsCrc(data: Uint8Array, seed = TFS_CRC_SEED): number {
  let crc = seed >>> 0;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return crc >>> 0;
}
