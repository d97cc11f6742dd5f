import { crc32 } from '../wire/crc32';

/**
 * Segment files: an 8-byte magic, then records framed as
 * `[u32 LE payload length][u32 LE CRC-32 of the payload][payload]`.
 * Ack files: 8-byte entries `[u32 LE record index][u32 LE CRC-32 of those 4 bytes]`.
 */
export const SEGMENT_MAGIC = Buffer.from('NISSAQ1\n', 'latin1');
export const FRAME_HEADER = 8;
export const ACK_ENTRY = 8;
/** No batch is this large; a bigger length field is garbage. */
const MAX_RECORD = 1 << 30;

export function segmentName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.seg`;
}

export function ackName(seq: number): string {
  return `${String(seq).padStart(16, '0')}.ack`;
}

/** The sequence number of a segment file name, or undefined for other files. */
export function segmentSeq(file: string): number | undefined {
  const m = /^(\d{16})\.seg$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** One framed record: header and payload in one buffer, ready to append. */
export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  out.set(payload, FRAME_HEADER);
  return out;
}

export function ackEntry(index: number): Buffer {
  const out = Buffer.allocUnsafe(ACK_ENTRY);
  out.writeUInt32LE(index, 0);
  out.writeUInt32LE(crc32(out.subarray(0, 4)), 4);
  return out;
}

export interface ScannedRecord {
  readonly index: number;
  /** Offset of the payload in the file. */
  readonly offset: number;
  readonly length: number;
}

export interface SegmentScan {
  readonly records: ScannedRecord[];
  /** Records whose checksum failed but whose frame could be stepped over. */
  readonly corruptRecords: number;
  /** True when the file ends in a cut or unreadable frame (a torn write), which was skipped. */
  readonly tornTail: boolean;
  readonly skippedBytes: number;
}

/**
 * Finds the valid records of a segment. A frame whose checksum fails is stepped over when the
 * next frame (or the end of the file) follows it cleanly; otherwise the rest of the file is a
 * torn tail. Record indexes count every frame, valid or not, so acks stay aligned.
 */
export function scanSegment(data: Buffer): SegmentScan {
  const records: ScannedRecord[] = [];
  let corruptRecords = 0;
  let skippedBytes = 0;
  if (data.length < SEGMENT_MAGIC.length || !data.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)) {
    return { records, corruptRecords, tornTail: data.length > 0, skippedBytes: data.length };
  }
  let pos = SEGMENT_MAGIC.length;
  let index = 0;
  while (pos < data.length) {
    const v = checkFrame(data, pos);
    if (v === 'ok') {
      const length = data.readUInt32LE(pos);
      records.push({ index: index++, offset: pos + FRAME_HEADER, length });
      pos += FRAME_HEADER + length;
      continue;
    }
    const next = v === 'bad_crc' ? pos + FRAME_HEADER + data.readUInt32LE(pos) : -1;
    if (next > 0 && (next === data.length || checkFrame(data, next) === 'ok')) {
      corruptRecords++;
      skippedBytes += next - pos;
      index++;
      pos = next;
      continue;
    }
    return { records, corruptRecords, tornTail: true, skippedBytes: skippedBytes + data.length - pos };
  }
  return { records, corruptRecords, tornTail: false, skippedBytes };
}

function checkFrame(data: Buffer, pos: number): 'ok' | 'bad_crc' | 'cut' {
  if (pos + FRAME_HEADER > data.length) return 'cut';
  const length = data.readUInt32LE(pos);
  if (length === 0 || length > MAX_RECORD || pos + FRAME_HEADER + length > data.length) return 'cut';
  const payload = data.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + length);
  return crc32(payload) === data.readUInt32LE(pos + 4) ? 'ok' : 'bad_crc';
}

/** Record indexes listed in an ack file; a torn or corrupt entry is ignored (its record is sent again). */
export function scanAcks(data: Buffer): Set<number> {
  const acked = new Set<number>();
  for (let pos = 0; pos + ACK_ENTRY <= data.length; pos += ACK_ENTRY) {
    if (crc32(data.subarray(pos, pos + 4)) === data.readUInt32LE(pos + 4)) acked.add(data.readUInt32LE(pos));
  }
  return acked;
}

/** Checks a whole frame read back from disk (header and payload) before it is decoded. */
export function frameIntact(buf: Buffer): boolean {
  return buf.length >= FRAME_HEADER && buf.readUInt32LE(0) === buf.length - FRAME_HEADER && checkFrame(buf, 0) === 'ok';
}
