import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { idBatch, openQueue, recordOffsets, segmentFiles, takeIds, tempDir } from './helpers';

/** Writes batches a..e into one segment, returns the segment path. */
async function fiveBatches(dir: string): Promise<string> {
  const q = openQueue(dir);
  for (const id of ['a', 'b', 'c', 'd', 'e']) await q.offer(idBatch(id));
  await q.persist();
  return join(dir, segmentFiles(dir)[0]!);
}

describe('DiskQueue corruption', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.remove());

  it('skips and counts a torn tail (a write cut by the crash), keeping every whole record', async () => {
    const seg = await fiveBatches(tmp.dir);
    const whole = fs.readFileSync(seg);
    fs.truncateSync(seg, whole.length - 7);
    let counted = 0;
    const q = openQueue(tmp.dir, { onCorrupt: (n) => (counted += n) });
    assert.deepEqual(await takeIds(q, 4), ['a', 'b', 'c', 'd']);
    assert.equal(q.recovery?.tornTails, 1);
    assert.equal(counted, 1);
    assert.equal(q.size, 0);
    await q.persist();
  });

  it('steps over a record whose checksum fails and delivers the ones after it', async () => {
    const seg = await fiveBatches(tmp.dir);
    const bytes = fs.readFileSync(seg);
    bytes[recordOffsets(bytes)[2]! + 5]! ^= 0xff;
    fs.writeFileSync(seg, bytes);
    const q = openQueue(tmp.dir);
    assert.deepEqual(await takeIds(q, 4), ['a', 'b', 'd', 'e']);
    assert.equal(q.recovery?.corruptRecords, 1);
    assert.equal(q.recovery?.tornTails, 0);
    await q.persist();
  });

  it('ignores a garbled ack file tail: the batches are sent again (at least once)', async () => {
    const q = openQueue(tmp.dir);
    for (const id of ['a', 'b', 'c']) await q.offer(idBatch(id));
    await takeIds(q, 1);
    await q.persist();
    const ack = join(tmp.dir, segmentFiles(tmp.dir)[0]!.replace('.seg', '.ack'));
    fs.appendFileSync(ack, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const again = openQueue(tmp.dir);
    assert.deepEqual(await takeIds(again, 2), ['b', 'c']);
    await again.persist();
  });

  it('counts a record that fails its checksum when read back after open, and goes on', async () => {
    const q = openQueue(tmp.dir, { maxCachedItems: 0 });
    let counted = 0;
    const r = openQueue(tmp.dir, { maxCachedItems: 0, onCorrupt: (n) => (counted += n) });
    for (const id of ['a', 'b', 'c']) await q.offer(idBatch(id));
    await q.persist();
    await r.offer(idBatch('d')); // opens: recovers a, b, c
    const seg = join(tmp.dir, segmentFiles(tmp.dir)[0]!);
    const bytes = fs.readFileSync(seg);
    bytes[recordOffsets(bytes)[1]! + 5]! ^= 0xff;
    fs.writeFileSync(seg, bytes);
    assert.deepEqual(await takeIds(r, 3), ['a', 'c', 'd']);
    assert.equal(r.corruptRecords, 1);
    assert.equal(counted, 1);
    await r.persist();
  });

  it('never fails to open, whatever prefix of a segment survived, and delivers a prefix of the batches (property)', async () => {
    const seg = await fiveBatches(tmp.dir);
    const whole = fs.readFileSync(seg);
    fs.rmSync(seg);
    await fc.assert(
      fc.asyncProperty(fc.nat(whole.length), fc.option(fc.nat(255), { nil: undefined }), async (cut, garbage) => {
        const dir = fs.mkdtempSync(join(tmp.dir, 'p-'));
        const data = Buffer.from(whole.subarray(0, cut));
        if (garbage !== undefined && cut > 0) data[cut - 1] = garbage;
        fs.writeFileSync(join(dir, segmentFiles(tmp.dir)[0] ?? '0000000000000001.seg'), data);
        const q = openQueue(dir);
        await q.offer(idBatch('new'));
        const n = q.size;
        const ids = await takeIds(q, n);
        assert.equal(ids.at(-1), 'new');
        assert.deepEqual(ids.slice(0, -1), ['a', 'b', 'c', 'd', 'e'].slice(0, n - 1));
        await q.persist();
      }),
      { numRuns: 60 },
    );
  });
});
