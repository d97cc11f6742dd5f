import type { Signal } from '../api';
import { jsonPayload } from './json-payload';
import { Framing, inspect, itemPrefixLength, writeItemPrefix, type Inspection } from './proto-framing';
import type { TopicSetting } from './topics';

/**
 * One entry's payload as bytes of a batch message of `signal`. Batch messages of one signal
 * concatenate into a valid batch message (their items are the repeated field 1), so the entries
 * of a read are decoded in one pass; a single item (`item`) is prefixed with tag 1 and its length.
 */
export interface PayloadBytes {
  readonly signal: Signal;
  readonly item: boolean;
  readonly body: Buffer;
}

/** Why a payload cannot be decoded at all (a poison entry). */
export class UndecodablePayload extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodablePayload';
  }
}

/**
 * JSON is told by its first byte `{`: as a protobuf tag that is field 15 with the group wire
 * type, which the format never uses. Leading whitespace is not skipped: 0x0a is also the tag of
 * field 1, the first byte of most protobuf batches.
 */
const OPEN_BRACE = 0x7b;

/** Detects the payload's encoding and shape; throws {@link UndecodablePayload} when it is neither. */
export function payloadBytes(payload: Buffer, setting: TopicSetting): PayloadBytes {
  const json = setting.format === 'json' || (setting.format === 'auto' && payload[0] === OPEN_BRACE);
  const fixed = setting.signal === 'auto' ? null : setting.signal;
  if (json) {
    try {
      const { signal, bytes } = jsonPayload(payload.toString('utf8'), fixed);
      return { signal, item: false, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    } catch (err) {
      throw new UndecodablePayload(`invalid JSON payload: ${(err as Error).message}`);
    }
  }
  const { framing, metric } = inspect(payload, scratch);
  if (framing === Framing.BROKEN) throw new UndecodablePayload(payload.length === 0 ? 'empty payload' : 'broken protobuf framing');
  return { signal: fixed ?? (metric ? 'metrics' : 'events'), item: framing === Framing.ITEM, body: payload };
}

const scratch: Inspection = { framing: Framing.BROKEN, metric: false };

/** The payloads as one batch message: a single copy into one buffer, items prefixed. */
export function concatPayloads(parts: readonly PayloadBytes[]): Buffer {
  if (parts.length === 1 && !parts[0]!.item) return parts[0]!.body;
  let total = 0;
  for (const p of parts) total += p.body.length + (p.item ? itemPrefixLength(p.body.length) : 0);
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const p of parts) {
    if (p.item) pos = writeItemPrefix(out, pos, p.body.length);
    pos += p.body.copy(out, pos);
  }
  return out;
}
