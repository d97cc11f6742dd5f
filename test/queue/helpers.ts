import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventBatch, type Batch, type EventBatch } from '../../src/api';
import { CorruptRecordError, decodeBatch, DiskQueue, type DiskQueueOptions } from '../../src/queue';
import { SeriesTable } from '../../src/api';

/** A fresh temp directory, removed by the returned function. */
export function tempDir(prefix = 'nissa-queue-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** An event batch whose items carry the request ids `ids`, so order and identity are easy to check. */
export function idBatch(...ids: string[]): EventBatch {
  return eventBatch(ids.map((requestId) => ({ epoch: 1, requestId, topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1, attributes: {}, body: requestId })));
}

export function idsOf(batch: Batch | undefined): string[] {
  return batch && batch.signal === 'events' ? batch.items.map((e) => e.requestId) : [];
}

export function openQueue(directory: string, opts: Partial<DiskQueueOptions> = {}): DiskQueue {
  return new DiskQueue({ directory, capacity: 100, ...opts });
}

/** Takes `n` batches and returns their ids, acknowledging them unless `ack` is false. */
export async function takeIds(q: DiskQueue, n: number, ack = true): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const item = await q.take();
    out.push(...idsOf(item?.batch));
    if (ack) item?.done();
  }
  return out;
}

export function segmentFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.seg')).sort();
}

/**
 * The directory as a `kill -9` would leave it: a copy of the files of a queue that is still
 * open (the page cache is what survives a killed process), without the lock.
 */
export function crashCopy(dir: string): string {
  const copy = fs.mkdtempSync(`${dir}-crash-`);
  for (const f of fs.readdirSync(dir)) if (f !== 'LOCK') fs.copyFileSync(join(dir, f), join(copy, f));
  return copy;
}

/** Payload offset of each record of a segment file (8-byte magic, then `[len][crc][payload]` frames). */
export function recordOffsets(segment: Buffer): number[] {
  const out: number[] = [];
  for (let pos = 8; pos + 8 <= segment.length; pos += 8 + segment.readUInt32LE(pos)) out.push(pos + 8);
  return out;
}

/** Decoding `good` cut short or with a byte changed throws CorruptRecordError or nothing, never another error (property). */
export function assertOnlyCorruptErrors(good: Uint8Array): void {
  fc.assert(
    fc.property(fc.nat(good.length - 1), fc.nat(255), fc.boolean(), (at, byte, cut) => {
      const bad = cut ? good.slice(0, at) : good.slice();
      if (!cut) bad[at] = byte;
      try {
        decodeBatch(bad, new SeriesTable());
      } catch (err) {
        assert.ok(err instanceof CorruptRecordError, String(err));
      }
    }),
    { numRuns: 500 },
  );
}
