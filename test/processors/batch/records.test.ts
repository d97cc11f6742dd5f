import { strict as assert } from 'node:assert';
import { eventBatch, recordsBatch, type EventBatch } from '../../../src/api';
import type { OtlpLogRecords } from '../../../src/otlp/proto/logs-check';
import { CollectingConsumer, FakeClock, pluginConfig, processorContext } from '../../../src/testing';
import { plugin } from '../../../processors/batch';
import { mergeBatches, splitBatch } from '../../../src/processing/merge-batches';
import { event } from '../../processing/fixtures';
import { builtEvents, line, logsRequest, recordsOf, refused, unbuildable } from '../../otlp/encode/log-requests';

function setup(config: Record<string, unknown>) {
  const next = new CollectingConsumer();
  const ctx = processorContext({ config: pluginConfig(plugin, config), clock: new FakeClock(), next, signal: 'events' });
  return { next, proc: plugin.create(ctx) };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A records batch of `n` log records `line <first>`..., with a refused record after the first. */
function records(first: number, n: number): OtlpLogRecords {
  const lines = Array.from({ length: n }, (_, i) => line(first + i));
  return unbuildable(recordsOf(logsRequest([{ service: 'svc', scopes: [{ scope: 'app', records: [lines[0]!, refused(-1), ...lines.slice(1)] }] }])));
}

function bodiesOf(batch: EventBatch): string[] {
  assert.ok(batch.records !== undefined, 'a batch of records');
  return builtEvents(batch.records as OtlpLogRecords[]).map((e) => String(e.body));
}

const lines = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

describe('batch processor with events held as records', () => {
  it('merges and splits batches of records into batches of records, in order, without building events', async () => {
    const { next, proc } = setup({ send_batch_size: 10, send_batch_max_size: 4 });
    await proc.consume(recordsBatch([records(0, 3)]));
    await proc.consume(eventBatch([])); // an empty batch (a request with no valid record) does not force building
    await proc.consume(recordsBatch([records(3, 7)]));
    await settle();
    const out = next.batches as EventBatch[];
    assert.deepEqual(out.map(bodiesOf), [lines(0, 4), lines(4, 8), lines(8, 10)]);
    assert.equal(next.items, 10);
  });

  it('splits one records batch as slices of its records, each part a view on the same bytes', () => {
    const r = records(0, 5);
    const parts = splitBatch(recordsBatch([r, records(5, 2)]), 3) as EventBatch[];
    assert.deepEqual(parts.map(bodiesOf), [lines(0, 3), ['line 3', 'line 4', 'line 5'], ['line 6']]);
    assert.equal(parts[1]!.records!.length, 2, 'the part spans both records');
    assert.equal((parts[0]!.records![0] as OtlpLogRecords).body, r.body, 'no copy');
  });

  it('merges records with events made as objects by building the records (the result is the same events)', () => {
    const r = recordsOf(logsRequest([{ service: 'svc', scopes: [{ scope: 'app', records: [line(0), line(1)] }] }]));
    const merged = mergeBatches([recordsBatch([r]), eventBatch([event({ requestId: 'obj' })])]) as EventBatch;
    assert.equal(merged.records, undefined);
    assert.deepEqual(merged.items.map((e) => e.requestId || String(e.body)), ['line 0', 'line 1', 'obj']);
  });
});
