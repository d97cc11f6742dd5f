import * as fs from 'node:fs';
import { join } from 'node:path';
import { readAt } from './fs-async';
import { ackEntry, ackName, FRAME_HEADER, segmentName } from './segment-format';

/**
 * One segment file and its ack file. Records are appended to the active segment only; a record
 * is acknowledged by appending its index to the ack file (not synced: a lost ack only means the
 * record is sent once more). The pair is deleted once every record is acknowledged and the
 * segment is no longer written to.
 */
export class Segment {
  /** Valid records not yet acknowledged. */
  live = 0;
  /** Index the next appended record gets (counts corrupt frames too, as the scan does). */
  nextIndex = 0;
  /** Bytes written (and kept) so far: the next append position. */
  size = 0;
  sealed = true;
  private ackFd: number | undefined;
  private deleted = false;

  constructor(
    readonly dir: string,
    readonly seq: number,
    /** Opened for reading, and for writing when this is the active segment. */
    private fd: number | undefined,
  ) {}

  get path(): string {
    return join(this.dir, segmentName(this.seq));
  }

  get writeFd(): number {
    if (this.fd === undefined) throw new Error(`segment ${this.seq} is closed`);
    return this.fd;
  }

  /** The frame (header and payload) of a record whose payload starts at `offset`. */
  readFrame(offset: number, length: number): Promise<Buffer> {
    return readAt(this.readFd(), FRAME_HEADER + length, offset - FRAME_HEADER);
  }

  readFrameSync(offset: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(FRAME_HEADER + length);
    const n = fs.readSync(this.readFd(), buf, 0, buf.length, offset - FRAME_HEADER);
    return n === buf.length ? buf : buf.subarray(0, n);
  }

  /** Records an acknowledgement; returns true when the segment may now be deleted. */
  ack(index: number): boolean {
    this.live--;
    if (this.live === 0 && this.sealed) return true;
    try {
      this.ackFd ??= fs.openSync(join(this.dir, ackName(this.seq)), 'a');
      fs.writeSync(this.ackFd, ackEntry(index));
    } catch {
      // A full disk: the record will be delivered again after a restart (at least once).
    }
    return false;
  }

  /** Deletes the segment and its ack file: ack file last, so a crash in between leaves no live record behind. */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    this.close();
    rmQuiet(this.path);
    rmQuiet(join(this.dir, ackName(this.seq)));
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    if (this.ackFd !== undefined) fs.closeSync(this.ackFd);
    this.fd = undefined;
    this.ackFd = undefined;
  }

  private readFd(): number {
    this.fd ??= fs.openSync(this.path, 'r');
    return this.fd;
  }
}

function rmQuiet(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // Already gone.
  }
}
