import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { eventBatch, type EventBatch } from '../../src/api';
import { MemoryLogger } from '../../src/testing';
import { DiskQueue } from '../../src/queue';
import { mountSmallFilesystem, type SmallFilesystem } from './small-filesystem';

/** An event batch of about `kib` KiB. */
function bigBatch(id: number, kib = 32): EventBatch {
  return eventBatch([{ epoch: 1, requestId: String(id), topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: id, attributes: {}, body: 'x'.repeat(kib * 1024) }]);
}

describe('disk queue on a full disk', () => {
  let small: SmallFilesystem;
  before(() => (small = mountSmallFilesystem(2)));
  after(() => small?.unmount());

  it('refuses (offer resolves false) instead of crashing, keeps every accepted batch intact, and accepts again when space returns', async () => {
    const filler = join(small.dir, 'filler');
    fs.writeFileSync(filler, Buffer.alloc(1024 * 1024));
    const logger = new MemoryLogger();
    const directory = join(small.dir, 'queue');
    const q = new DiskQueue({ directory, capacity: 10_000, logger, segmentBytes: 128 * 1024 });
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 100 && refused < 5; i++) {
      if (await q.offer(bigBatch(i))) accepted++;
      else refused++;
    }
    assert.ok(accepted > 5, `accepted ${accepted} on ${small.kind}`);
    assert.equal(refused, 5, 'the disk filled up and offers were refused');
    assert.equal(q.size, accepted);
    assert.equal(logger.lines.filter((l) => /disk full/.test(l.msg)).length, 1, 'logged once, not per batch');

    fs.rmSync(filler);
    assert.equal(await q.offer(bigBatch(1000)), true, 'space is back');
    assert.ok(logger.lines.some((l) => /accepts batches again/.test(l.msg)));
    await q.persist();

    // Reopened: exactly the accepted batches, nothing torn by the failed writes.
    const again = new DiskQueue({ directory, capacity: 10_000 });
    const ids: string[] = [];
    for (let n = accepted + 1; n > 0; n--) {
      const item = await again.take();
      ids.push((item!.batch as EventBatch).items[0]!.requestId);
      item!.done();
    }
    assert.equal(again.recovery?.tornTails, 0);
    assert.equal(again.recovery?.corruptRecords, 0);
    assert.deepEqual(ids, [...Array.from({ length: accepted }, (_, i) => String(i)), '1000']);
    again.close();
    assert.equal(await again.take(), undefined);
  });

  it('frees space as batches are delivered: a full queue drains and accepts again without outside help', async () => {
    const directory = join(small.dir, 'drain');
    const q = new DiskQueue({ directory, capacity: 10_000, segmentBytes: 128 * 1024 });
    let accepted = 0;
    while (await q.offer(bigBatch(accepted))) accepted++;
    for (let i = 0; i < accepted; i++) (await q.take())!.done();
    assert.equal(await q.offer(bigBatch(-1)), true);
    await q.persist();
  });

  it('frees a spent segment larger than the disk: with the default 32 MiB segments, a drained queue accepts again', async () => {
    const directory = join(small.dir, 'spent');
    const q = new DiskQueue({ directory, capacity: 10_000 });
    let accepted = 0;
    while (await q.offer(bigBatch(accepted))) accepted++;
    assert.ok(accepted > 5, `accepted ${accepted}`);
    for (let i = 0; i < accepted; i++) (await q.take())!.done();
    assert.equal(await q.offer(bigBatch(-1)), true, 'the drained segment, still the one written to, was rolled over and deleted');
    assert.equal(((await q.take())!.batch as EventBatch).items[0]!.requestId, '-1');
    await q.persist();
  });
});
