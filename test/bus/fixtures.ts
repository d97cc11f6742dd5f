import type Redis from 'ioredis';
import type { TelemetryEvent } from '../../src/api';
import { splitBatch } from '../../src/bus/proto-framing';
import { encodeEvents } from '../../src/nissa-codec';
import { PATIENCE_MS, waitUntil } from '../helpers/wait-until';

/** An event of the bus with a unique request id. */
export function busEvent(requestId: string, topic = 'telemetry.seed.health', nowMs = Date.now()): TelemetryEvent {
  return {
    epoch: 1, requestId, topic, eventType: 'health_check', severityNumber: 9, severityText: 'INFO',
    timestampMs: nowMs, attributes: { seed: 'alpha', score: 0.5 }, body: 'ok',
  };
}

/** The protobuf of one TelemetryEvent message (not a batch): the batch's field 1 without its prefix. */
export function eventItemBytes(event: TelemetryEvent): Buffer {
  return splitBatch(Buffer.from(encodeEvents([event])))[0]!;
}

/** Appends one entry per event (single-event protobuf payloads) with a pipeline; returns the ids. */
export async function publishEvents(redis: Redis, stream: string, events: readonly TelemetryEvent[], chunk = 1000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < events.length; i += chunk) {
    const p = redis.pipeline();
    for (const e of events.slice(i, i + chunk)) p.xadd(stream, '*', 'payload', eventItemBytes(e));
    for (const [err, id] of (await p.exec())!) {
      if (err) throw err;
      ids.push(id as string);
    }
  }
  return ids;
}

/** Request ids of every event batch a sink got. */
export function requestIdsOf(batches: readonly { signal: string; items?: readonly unknown[] }[]): string[] {
  const out: string[] = [];
  for (const b of batches) if (b.signal === 'events') for (const e of b.items as TelemetryEvent[]) out.push(e.requestId);
  return out;
}

/** Entries pending in the group, over all consumers. */
export async function pendingCount(redis: Redis, stream: string, group = 'nissa-observability'): Promise<number> {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

/** Polls `check` every 20 ms until it holds; fails after `timeoutMs` (generous: see {@link PATIENCE_MS}). */
export function eventually(check: () => Promise<boolean> | boolean, timeoutMs = PATIENCE_MS, what = 'condition'): Promise<void> {
  return waitUntil(check, what, timeoutMs, 20);
}
