import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const UTF8_NAMES = 0x0800;
const ENCRYPTED = 0x0001;

/**
 * Reads the files of a zip archive (stored or deflated, no ZIP64, no encryption: what Alipay's bill
 * archives are) and checks each one's size and CRC-32, so a bill damaged on its way is refused rather
 * than read. Names are UTF-8 when the archive says so, else GBK (Alipay's own archives).
 */
export function readZip(archive: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(offset) !== CENTRAL_HEADER) throw new Error('zip: broken central directory');
    const flags = archive.readUInt16LE(offset + 8);
    const method = archive.readUInt16LE(offset + 10);
    const crc = archive.readUInt32LE(offset + 16);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const size = archive.readUInt32LE(offset + 24);
    const nameLength = archive.readUInt16LE(offset + 28);
    const skip = nameLength + archive.readUInt16LE(offset + 30) + archive.readUInt16LE(offset + 32);
    const localOffset = archive.readUInt32LE(offset + 42);
    const nameBytes = archive.subarray(offset + 46, offset + 46 + nameLength);
    offset += 46 + skip;
    if (flags & ENCRYPTED) throw new Error('zip: encrypted entries are not supported');
    if (archive.readUInt32LE(localOffset) !== LOCAL_HEADER) throw new Error('zip: broken local header');
    const start = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    const stored = archive.subarray(start, start + compressedSize);
    if (stored.length !== compressedSize) throw new Error('zip: truncated entry');
    const data = method === 0 ? Buffer.from(stored) : method === 8 ? inflateRawSync(stored) : null;
    if (!data) throw new Error(`zip: compression method ${method} is not supported`);
    const name = new TextDecoder(flags & UTF8_NAMES ? 'utf-8' : 'gbk').decode(nameBytes);
    if (data.length !== size || crc32(data) >>> 0 !== crc) throw new Error(`zip: ${name} is damaged (size or CRC-32)`);
    entries.push({ name, data });
  }
  return entries;
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // the record is 22 bytes, followed by a comment of at most 65535
  for (let at = archive.length - 22; at >= Math.max(0, archive.length - 22 - 0xffff); at--) {
    if (archive.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error('zip: not a zip archive');
}
