import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { decodeCheckpoint, encodeBody, encodeHeader, HEADER_BYTES, isBinaryCheckpoint, validate } from './checkpoint-format';
import type { Snapshot } from './checkpoint-snapshot';
import { decodeCheckpointV1 } from './checkpoint-v1';
import { crc32 } from '../../src/wire/crc32';

export type { Snapshot } from './checkpoint-snapshot';
export { restore, snapshot } from './checkpoint-snapshot';

/** Bytes checksummed between two yields to the event loop (well under a millisecond). */
const HASH_SLICE = 4 << 20;

/**
 * Writes a snapshot to `<dir>/<name>` atomically: a temp file (header with the body's checksum,
 * then the columns), flushed to disk, then renamed over the old checkpoint. The columns are
 * written as they are (views, no encoding pass); checksumming yields to the event loop every 4 MB, and
 * the write itself runs off the loop. Resolves to the bytes written.
 */
export async function writeCheckpoint(directory: string, name: string, snap: Snapshot): Promise<number> {
  const body = encodeBody(snap);
  let checksum = 0;
  let bytes = 0;
  let sinceYield = 0;
  for (const b of body) {
    for (let at = 0; at < b.length; at += HASH_SLICE) {
      const piece = b.subarray(at, at + HASH_SLICE);
      checksum = crc32(piece, checksum);
      sinceYield += piece.length;
      if (sinceYield >= HASH_SLICE) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
    bytes += b.length;
  }
  await mkdir(directory, { recursive: true });
  const path = join(directory, name);
  const tmp = `${path}.tmp-${process.pid}`;
  const file = await open(tmp, 'w');
  try {
    const { bytesWritten } = await file.writev([encodeHeader(bytes, checksum), ...body]);
    // A regular file takes the whole vector unless the disk is full; a short write is an error here.
    if (bytesWritten !== HEADER_BYTES + bytes) throw new Error(`short checkpoint write: ${bytesWritten} of ${HEADER_BYTES + bytes} bytes`);
    await file.datasync();
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  await rename(tmp, path);
  return HEADER_BYTES + bytes;
}

/**
 * Reads a checkpoint (binary, or the JSON of version 1). Resolves undefined when there is none;
 * rejects with a message fit for a log line when it exists but is unusable.
 */
export async function readCheckpoint(directory: string, name: string): Promise<Snapshot | undefined> {
  let file: Buffer;
  try {
    file = await readFile(join(directory, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (isBinaryCheckpoint(file)) return decodeCheckpoint(file);
  if (file[0] === 0x7b) {
    const snapshot = decodeCheckpointV1(file.toString('utf8'));
    validate(snapshot);
    return snapshot;
  }
  throw new Error('not a downsample checkpoint');
}
