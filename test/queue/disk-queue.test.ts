import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { RetryableError } from '../../src/api';
import { Segment } from '../../src/queue/segment';
import { crashCopy, idBatch, idsOf, openQueue, segmentFiles, takeIds, tempDir } from './helpers';

describe('DiskQueue', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('hands batches out in order and forgets them on done; a drained close leaves no segment', async () => {
    const q = openQueue(tmp.dir);
    for (const id of ['a', 'b', 'c']) assert.equal(await q.offer(idBatch(id)), true);
    assert.equal(q.size, 3);
    assert.deepEqual(await takeIds(q, 3), ['a', 'b', 'c']);
    assert.equal(q.size, 0);
    q.close();
    assert.equal(await q.take(), undefined);
    assert.deepEqual(segmentFiles(tmp.dir), []);
    assert.equal(fs.existsSync(join(tmp.dir, 'LOCK')), false);
  });

  it('wakes a waiting take when a batch arrives', async () => {
    const q = openQueue(tmp.dir);
    const taken = q.take();
    await q.offer(idBatch('x'));
    assert.deepEqual(idsOf((await taken)?.batch), ['x']);
    await q.persist();
  });

  it('resumes after a restart, with the batch that was in flight first', async () => {
    const q = openQueue(tmp.dir);
    for (const id of ['a', 'b', 'c', 'd']) await q.offer(idBatch(id));
    assert.deepEqual(await takeIds(q, 1), ['a']);
    const inFlight = await q.take();
    assert.deepEqual(idsOf(inFlight?.batch), ['b']);
    await q.persist();
    const again = openQueue(tmp.dir);
    assert.deepEqual(await takeIds(again, 3), ['b', 'c', 'd']);
    assert.equal(again.recovery?.records, 3);
    await again.persist();
  });

  it('waits out a read error that passes (no file descriptor or memory free, one I/O error) instead of skipping the record', async () => {
    const q = openQueue(tmp.dir);
    for (const id of ['a', 'b']) await q.offer(idBatch(id));
    await q.persist();
    const read = Segment.prototype.readFrame;
    const failures = [Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }), new RangeError('Array buffer allocation failed'), Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })];
    Segment.prototype.readFrame = function (this: Segment, offset: number, length: number) {
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : read.call(this, offset, length);
    };
    try {
      const again = openQueue(tmp.dir); // restored records are read back from the segment
      assert.deepEqual(await takeIds(again, 2), ['a', 'b']);
      assert.equal(again.corruptRecords, 0);
      await again.persist();
    } finally {
      Segment.prototype.readFrame = read;
    }
  });

  it('after a crash, redelivers batches taken but not done, and not those done', async () => {
    const q = openQueue(tmp.dir);
    for (const id of ['a', 'b', 'c', 'd', 'e']) await q.offer(idBatch(id));
    assert.deepEqual(await takeIds(q, 2), ['a', 'b']);
    const inFlight = await q.take();
    const copy = crashCopy(tmp.dir);
    try {
      const reopened = openQueue(copy);
      assert.deepEqual(await takeIds(reopened, 3), ['c', 'd', 'e']);
      await reopened.persist();
    } finally {
      inFlight?.done();
      await q.persist();
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('refuses beyond capacity in batches, and in items with sizer: items', async () => {
    const q = openQueue(tmp.dir, { capacity: 2 });
    assert.equal(await q.offer(idBatch('a')), true);
    assert.equal(await q.offer(idBatch('b')), true);
    assert.equal(await q.offer(idBatch('c')), false);
    await takeIds(q, 1, false);
    assert.equal(await q.offer(idBatch('c')), true, 'a taken batch no longer counts');
    await q.persist();

    const t2 = tempDir();
    try {
      const items = openQueue(t2.dir, { capacity: 5, sizer: 'items' });
      assert.equal(await items.offer(idBatch('1', '2', '3')), true);
      assert.equal(await items.offer(idBatch('4', '5', '6')), false);
      assert.equal(await items.offer(idBatch('4', '5')), true);
      assert.equal(items.size, 5);
      await items.persist();
      const reopened = openQueue(t2.dir, { capacity: 5, sizer: 'items' });
      assert.deepEqual(await takeIds(reopened, 1), ['1', '2', '3']);
      assert.equal(reopened.size, 2, 'item counts are read back from disk');
      await reopened.persist();
    } finally {
      t2.remove();
    }
  });

  it('takes an oversized batch when empty, so sizer: items cannot block forever', async () => {
    const q = openQueue(tmp.dir, { capacity: 2, sizer: 'items' });
    assert.equal(await q.offer(idBatch('1', '2', '3')), true);
    await q.persist();
  });

  it('dropOldest removes the oldest batch from the disk, too', async () => {
    const q = openQueue(tmp.dir, { maxCachedItems: 0 });
    for (const id of ['a', 'b']) await q.offer(idBatch(id));
    assert.deepEqual(idsOf(q.dropOldest()), ['a'], 'read back from disk (nothing cached)');
    await q.persist();
    const again = openQueue(tmp.dir);
    assert.deepEqual(await takeIds(again, 1), ['b']);
    assert.equal(again.size, 0);
    await again.persist();
  });

  it('rolls segments over and deletes each once all its batches are done', async () => {
    const q = openQueue(tmp.dir, { segmentBytes: 600 });
    for (let i = 0; i < 30; i++) await q.offer(idBatch(`id-${i}`));
    const before = segmentFiles(tmp.dir).length;
    assert.ok(before >= 5, `segments: ${before}`);
    await takeIds(q, 15);
    const middle = segmentFiles(tmp.dir).length;
    assert.ok(middle < before && middle > 1, `segments: ${before} -> ${middle}`);
    await takeIds(q, 15);
    assert.deepEqual(segmentFiles(tmp.dir).length, 1, 'only the segment being written stays');
    q.close();
    assert.equal(await q.take(), undefined);
    assert.deepEqual(fs.readdirSync(tmp.dir), []);
  });

  it('works with fsync: group (several offers share one sync)', async () => {
    const q = openQueue(tmp.dir, { fsync: 'group', groupCommitIntervalMs: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => q.offer(idBatch(String(i)))));
    assert.ok(results.every(Boolean));
    assert.deepEqual(await takeIds(q, 20), Array.from({ length: 20 }, (_, i) => String(i)));
    await q.persist();
  });

  it('refuses a directory another queue of this process holds (a retryable refusal, not a crash)', async () => {
    const q = openQueue(tmp.dir);
    await q.offer(idBatch('a'));
    const second = openQueue(tmp.dir);
    await assert.rejects(second.offer(idBatch('b')), (err: unknown) => err instanceof RetryableError && /already used/.test(err.message));
    await q.persist();
    assert.equal(await second.offer(idBatch('b')), true, 'free again after the first one stopped');
    await second.persist();
  });
});
