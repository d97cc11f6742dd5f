import { strict as assert } from 'node:assert';
import { SeriesTable } from '../../../src/api';
import type { StreamEntries } from '../../../src/bus/stream-reply';
import { encodeEvents, NissaDecoder } from '../../../src/nissa-codec';
import { CollectingOutput, receiverContext } from '../../../src/testing';
import type { BusReceiverConfig } from '../../../receivers/bus/config';
import { decodeChunk, planRead, type Chunk, type EntryRefs } from '../../../receivers/bus/decode-read';
import { Delivery } from '../../../receivers/bus/delivery';
import type { GroupOps } from '../../../receivers/bus/group-ops';
import { busEvent } from '../../bus/fixtures';

const AUTO = { signal: 'auto', format: 'auto' } as const;
const TIMINGS = { blockMs: 10, minIdleMs: 60_000, claimIntervalMs: 1000, retryInitialMs: 1, retryMaxMs: 10, connectTimeoutMs: 1000 };

describe('bus receiver: delivery when decoding fails midway', () => {
  it('acknowledges the chunks the pipelines accepted before the failure, and only those', async () => {
    const payload = Buffer.from(encodeEvents([busEvent('e1'), busEvent('e2')]));
    const entries: StreamEntries = { stream: 's', ids: [0, 1, 2, 3].map((i) => Buffer.from(`${i + 1}-0`)), payloads: [payload, payload, payload, payload] };
    // One payload per chunk: four chunks, the third of which the decoder fails on.
    const plan = planRead([entries], () => AUTO, payload.length);
    assert.equal(plan.chunks.length, 4);
    const acked: string[] = [];
    const ops = { ack: async (refs: readonly EntryRefs[]) => void acked.push(...refs.flatMap((r) => r.index.map((i) => r.entries.ids[i]!.toString()))) } as unknown as GroupOps;
    const output = new CollectingOutput();
    const ctx = receiverContext({ config: {} as BusReceiverConfig, output });
    const delivery = new Delivery(ctx, ops, TIMINGS, new AbortController().signal);
    const decoder = new NissaDecoder(new SeriesTable());
    let decoded = 0;
    const decode = (chunk: Chunk) => {
      if (++decoded === 3) throw new Error('decoder failed');
      return decodeChunk(chunk, decoder, Date.now());
    };
    await assert.rejects(delivery.deliver(plan, true, decode), /decoder failed/);
    assert.deepEqual(acked, ['1-0', '2-0'], 'accepted entries are acknowledged, or they would be delivered again; the rest stays pending');
    assert.equal(output.sink('events').items, 4);
  });
});
