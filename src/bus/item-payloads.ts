import type { AlertBatch, ControlBatch, EventBatch, Signal } from '../api';
import { BATCH_TYPE, encodeAlerts, encodeControl, encodeEvents, nissaType } from '../nissa-codec';
import { splitBatch } from './proto-framing';

export type ItemBatch = EventBatch | AlertBatch | ControlBatch;

/** The repeated field of each batch message, as named in JSON. */
export const BATCH_KEY: Readonly<Record<Signal, string>> = { metrics: 'points', events: 'events', alerts: 'alerts', control: 'commands' };

/**
 * One payload per item: the item's own message (TelemetryEvent, AlertNotification,
 * ControlCommand) in protobuf, or as JSON with the .proto field names. The batch is encoded once
 * and cut into its items, so a protobuf payload costs no more than the batch encoding.
 */
export function itemPayloads(batch: ItemBatch, format: 'protobuf' | 'json'): (Buffer | string)[] {
  const bytes = Buffer.from(encodeBatch(batch));
  if (format === 'protobuf') return splitBatch(bytes);
  const type = nissaType(BATCH_TYPE[batch.signal]);
  const obj = type.toObject(type.decode(bytes), { longs: String, enums: String, bytes: String }) as Record<string, unknown[]>;
  return (obj[BATCH_KEY[batch.signal]] ?? []).map((item) => JSON.stringify(item));
}

function encodeBatch(batch: ItemBatch): Uint8Array {
  switch (batch.signal) {
    case 'events': return encodeEvents(batch.items);
    case 'alerts': return encodeAlerts(batch.items);
    case 'control': return encodeControl(batch.items);
  }
}
