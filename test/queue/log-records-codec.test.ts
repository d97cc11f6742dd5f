import { strict as assert } from 'node:assert';
import { recordsBatch, SeriesTable, type EventBatch } from '../../src/api';
import { OtlpLogRecords } from '../../src/otlp/proto/logs-check';
import { decodeBatch, encodeBatch, encodedItemCount } from '../../src/queue';
import { builtEvents, line, logsRequest, recordsOf, refused, unbuildable } from '../otlp/encode/log-requests';
import { assertOnlyCorruptErrors, openQueue, tempDir } from './helpers';

// Two bodies; the first has a refused record in the middle of a scope and two resources.
const A = recordsOf(
  logsRequest([
    { service: 'a', scopes: [{ scope: 'app', records: [line(0), refused(1), line(2)] }] },
    { service: 'b', scopes: [{ scope: 'db', records: [line(3), line(4)] }] },
  ]),
);
const B = recordsOf(logsRequest([{ service: 'c', scopes: [{ scope: 'http', records: [line(5), line(6)] }] }]));

/** Slices of both bodies, none of which may be built while stored. */
function sample(): EventBatch {
  return recordsBatch([unbuildable(A.slice(1, 4)), unbuildable(B)]);
}

function assertRecordsOf(got: EventBatch, want: EventBatch): void {
  assert.ok(got.records !== undefined && got.records.every((r) => r instanceof OtlpLogRecords), 'records again, not events');
  assert.deepStrictEqual(builtEvents(got.records as OtlpLogRecords[]), builtEvents(want.records as OtlpLogRecords[]));
}

describe('queue batch codec: events held as OTLP log records', () => {
  it('stores them as the request of exactly those records and reads records back, building no event', () => {
    const table = new SeriesTable();
    const batch = sample();
    const bytes = encodeBatch(batch, table).slice();
    assert.equal(bytes[1], 4, 'the signal code of events stored as an OTLP request');
    assert.equal(encodedItemCount(bytes), 5);
    const back = decodeBatch(bytes, table) as EventBatch;
    assertRecordsOf(back, batch);
    assert.deepEqual(back.items.map((e) => e.body), ['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
  });

  it('still reads events stored as objects (the format of existing queues)', () => {
    // An events batch written before records existed: version 1, signal 1, one event.
    const stored = Buffer.from(
      '01010108090565706f636803000000000000f03f0972657175657374496404016105746f706963040174096576656e74547970650401650e73657665726974794e756d6265720300000000000022400c7365766572697479546578740404494e464f0b74696d657374616d704d7303000000000000f03f0a617474726962757465730801016b04017604626f6479040161',
      'hex',
    );
    const got = decodeBatch(stored, new SeriesTable()) as EventBatch;
    assert.equal(got.records, undefined);
    assert.deepEqual(got.items, [{ epoch: 1, requestId: 'a', topic: 't', eventType: 'e', severityNumber: 9, severityText: 'INFO', timestampMs: 1, attributes: { k: 'v' }, body: 'a' }]);
    assert.deepEqual(Buffer.from(encodeBatch(got, new SeriesTable())), stored, 'and writes them the same way');
  });

  it('throws CorruptRecordError (never anything else) for truncated or garbled stored records (property)', () => {
    const good = encodeBatch(sample(), new SeriesTable()).slice();
    assertOnlyCorruptErrors(good);
    const fewer = Buffer.from(good);
    fewer[2] = 6; // claims more records than the request holds
    assert.throws(() => decodeBatch(fewer, new SeriesTable()), /stored 6 log records, 5 decode/);
  });

  it('survives a disk queue restart as records', async () => {
    const tmp = tempDir();
    try {
      const q = openQueue(tmp.dir);
      assert.equal(await q.offer(sample()), true);
      await q.persist();
      const again = openQueue(tmp.dir);
      const item = await again.take();
      assertRecordsOf(item!.batch as EventBatch, sample());
      item!.done();
      await again.persist();
    } finally {
      tmp.remove();
    }
  });
});
