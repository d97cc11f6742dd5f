import * as fs from 'node:fs';
import { join } from 'node:path';
import { fdatasync, ftruncate, syncDirectory, writeAllAt } from './fs-async';
import { Segment } from './segment';
import { FRAME_HEADER, SEGMENT_MAGIC, ackName, scanAcks, scanSegment, segmentName, segmentSeq } from './segment-format';

/** Where a record lives. */
export interface RecordRef {
  readonly segment: Segment;
  readonly index: number;
  /** Offset of the payload in the segment file. */
  readonly offset: number;
  readonly length: number;
}

export interface RecoveryReport {
  segments: number;
  records: number;
  corruptRecords: number;
  tornTails: number;
  skippedBytes: number;
}

/**
 * The append-only segment files of one queue directory: recovery on open, appends with rotation,
 * and a rollback of the tail when a write fails (a full disk), so a failed append never leaves a
 * half-written frame in front of later ones.
 */
export class SegmentLog {
  private readonly segments = new Map<number, Segment>();
  private active: Segment | undefined;
  private nextSeq = 1;
  /** The last append failed (a full disk, most likely): free the active segment if it is spent. */
  private failed = false;

  constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
  ) {}

  /** Reads every segment and ack file; returns the records not yet acknowledged, oldest first. */
  recover(): { records: RecordRef[]; report: RecoveryReport } {
    const report: RecoveryReport = { segments: 0, records: 0, corruptRecords: 0, tornTails: 0, skippedBytes: 0 };
    const files = fs.readdirSync(this.dir);
    const seqs = files.map(segmentSeq).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
    const records: RecordRef[] = [];
    for (const seq of seqs) {
      const segment = new Segment(this.dir, seq, undefined);
      const scan = scanSegment(fs.readFileSync(segment.path));
      const acked = readAcks(join(this.dir, ackName(seq)));
      report.corruptRecords += scan.corruptRecords;
      report.skippedBytes += scan.skippedBytes;
      if (scan.tornTail) report.tornTails++;
      segment.nextIndex = scan.records.length + scan.corruptRecords;
      for (const r of scan.records) {
        if (acked.has(r.index)) continue;
        records.push({ segment, index: r.index, offset: r.offset, length: r.length });
        segment.live++;
      }
      this.nextSeq = seq + 1;
      if (segment.live === 0) segment.delete();
      else {
        this.segments.set(seq, segment);
        report.segments++;
      }
    }
    // Ack files whose segment is gone (a crash between the two unlinks).
    for (const f of files) {
      const m = /^(\d{16})\.ack$/.exec(f);
      if (m && !seqs.includes(Number(m[1]))) fs.rmSync(join(this.dir, f), { force: true });
    }
    report.records = records.length;
    return { records, report };
  }

  /**
   * Appends framed records and makes them durable (fdatasync). On failure the
   * segment is cut back to where it was and the error is thrown: none of the records was appended.
   */
  async append(frames: readonly Buffer[]): Promise<RecordRef[]> {
    const bytes = frames.reduce((n, f) => n + f.length, 0);
    const a = this.active;
    // After a failed append, a segment whose records are all acknowledged is rolled over (and so
    // deleted) instead of being grown: on a full disk, its space may be all there is to free.
    if (!a || (a.nextIndex > 0 && (a.size + bytes > this.segmentBytes || (this.failed && a.live === 0)))) this.rotate();
    const segment = this.active!;
    const start = segment.size;
    const buffers = start === 0 ? [SEGMENT_MAGIC, ...frames] : frames;
    try {
      await writeAllAt(segment.writeFd, buffers, start);
      await fdatasync(segment.writeFd);
    } catch (err) {
      this.failed = true;
      await ftruncate(segment.writeFd, start).catch(() => undefined);
      throw err;
    }
    this.failed = false;
    let offset = start === 0 ? SEGMENT_MAGIC.length : start;
    const refs: RecordRef[] = [];
    for (const f of frames) {
      refs.push({ segment, index: segment.nextIndex++, offset: offset + FRAME_HEADER, length: f.length - FRAME_HEADER });
      offset += f.length;
      segment.live++;
    }
    segment.size = offset;
    return refs;
  }

  /** Acknowledges a record; deletes its segment once nothing in it is live and it is not written to. */
  ack(ref: RecordRef): void {
    if (ref.segment.ack(ref.index)) this.drop(ref.segment);
  }

  /** Closes every file; with `deleteEmpty`, also removes segments with nothing live (a clean stop). */
  close(deleteEmpty: boolean): void {
    for (const s of this.segments.values()) {
      if (deleteEmpty && s.live === 0) s.delete();
      else s.close();
    }
    this.segments.clear();
    this.active = undefined;
  }

  private rotate(): void {
    const previous = this.active;
    // Unset first: if the new file cannot be created, the next append tries again.
    this.active = undefined;
    if (previous) {
      previous.sealed = true;
      if (previous.live === 0) this.drop(previous);
    }
    const seq = this.nextSeq++;
    const fd = fs.openSync(join(this.dir, segmentName(seq)), 'wx+');
    const segment = new Segment(this.dir, seq, fd);
    segment.sealed = false;
    this.segments.set(seq, segment);
    this.active = segment;
    syncDirectory(this.dir);
  }

  private drop(segment: Segment): void {
    segment.delete();
    this.segments.delete(segment.seq);
  }
}

function readAcks(path: string): Set<number> {
  try {
    return scanAcks(fs.readFileSync(path));
  } catch {
    return new Set();
  }
}
