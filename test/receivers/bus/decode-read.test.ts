import { strict as assert } from 'node:assert';
import { SeriesTable, type EventBatch } from '../../../src/api';
import type { StreamEntries } from '../../../src/bus/stream-reply';
import { encodeEvents, NissaDecoder } from '../../../src/nissa-codec';
import { AckBatch, ACK_BATCH } from '../../../receivers/bus/ack-batch';
import { decodeChunk, planRead, type EntryRefs } from '../../../receivers/bus/decode-read';
import { busEvent, eventItemBytes } from '../../bus/fixtures';

const AUTO = { signal: 'auto', format: 'auto' } as const;

function stream(name: string, payloads: (Buffer | null | undefined)[]): StreamEntries {
  return { stream: name, ids: payloads.map((_, i) => Buffer.from(`${i + 1}-0`)), payloads };
}

function ids(refs: readonly EntryRefs[]): string[] {
  return refs.flatMap((r) => r.index.map((i) => `${r.entries.stream}/${r.entries.ids[i]!.toString()}`));
}

describe('bus receiver: reads decoded in chunks', () => {
  const decoder = new NissaDecoder(new SeriesTable());

  it('groups payloads by signal into chunks of bounded bytes, in stream order', () => {
    const batch = Buffer.from(encodeEvents([busEvent('a1'), busEvent('a2')]));
    const a = stream('a', [batch, batch, batch, batch, batch]);
    const b = stream('b', [eventItemBytes(busEvent('b1'))]);
    const plan = planRead([a, b], () => AUTO, batch.length * 2);
    assert.deepEqual(plan.chunks.map((c) => c.parts.length), [2, 2, 2], 'two payloads per chunk, the last one shared by both streams');
    const decoded = plan.chunks.map((c) => decodeChunk(c, decoder, Date.now()));
    const items = decoded.flatMap((d) => (d.batch!.batch as EventBatch).items.map((e) => e.requestId));
    assert.deepEqual(items, ['a1', 'a2', 'a1', 'a2', 'a1', 'a2', 'a1', 'a2', 'a1', 'a2', 'b1']);
    assert.deepEqual(ids(decoded[2]!.batch!.refs), ['a/5-0', 'b/1-0']);
  });

  it('isolates poison within a chunk and keeps the rest; deleted and field-less entries are set apart', () => {
    const good = eventItemBytes(busEvent('g1'));
    const invalid = eventItemBytes({ ...busEvent('bad'), topic: '' }); // framed, but no valid item
    const plan = planRead([stream('s', [good, Buffer.from([0xff]), invalid, null, undefined, eventItemBytes(busEvent('g2'))])], () => AUTO);
    assert.deepEqual(plan.poison.map((p) => p.index), [1, 4], 'broken framing, no payload field');
    assert.deepEqual(ids(plan.empty), ['s/4-0'], 'deleted while pending');
    assert.equal(plan.chunks.length, 1);
    const d = decodeChunk(plan.chunks[0]!, decoder, Date.now());
    assert.deepEqual((d.batch!.batch as EventBatch).items.map((e) => e.requestId), ['g1', 'g2']);
    assert.deepEqual(d.poison.map((p) => p.index), [2]);
    assert.deepEqual(ids(d.batch!.refs), ['s/1-0', 's/6-0']);
  });

  it('gathers acknowledgements and sends them in batches of ACK_BATCH ids', async () => {
    const sent: number[] = [];
    let acked = 0;
    const acks = new AckBatch(async (refs) => void sent.push(refs.reduce((n, r) => n + r.index.length, 0)));
    const entries = stream('s', [null]);
    const refs = (n: number): EntryRefs[] => [{ entries, index: Array.from({ length: n }, (_, i) => i) }];
    acks.add(refs(ACK_BATCH - 1), () => acked++);
    assert.equal(sent.length, 0, 'below the batch size: waits');
    acks.add(refs(1), () => acked++);
    acks.add(refs(5));
    acks.flush();
    acks.flush();
    await Promise.all(acks.sent);
    assert.deepEqual(sent, [ACK_BATCH, 5]);
    assert.equal(acked, 2, 'callbacks run once their XACK settled');
  });
});
