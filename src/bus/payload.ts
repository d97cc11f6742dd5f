import type { Signal } from '../api';
import { jsonPayload } from './json-payload';
import { isMetricMessage, itemPrefix, shapeOf } from './proto-framing';
import type { TopicSetting } from './topics';

/**
 * One entry's payload as bytes of a batch message of `signal`. Batch messages of one signal
 * concatenate into a valid batch message (their items are the repeated field 1), so the entries
 * of a read are decoded in one pass: `prefix` (may be empty) followed by `body`.
 */
export interface PayloadBytes {
  readonly signal: Signal;
  readonly prefix: Buffer | undefined;
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
      return { signal, prefix: undefined, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    } catch (err) {
      throw new UndecodablePayload(`invalid JSON payload: ${(err as Error).message}`);
    }
  }
  const shape = shapeOf(payload);
  if (shape === null) throw new UndecodablePayload(payload.length === 0 ? 'empty payload' : 'broken protobuf framing');
  const signal = fixed ?? (isMetricMessage(payload, shape) ? 'metrics' : 'events');
  return { signal, prefix: shape === 'item' ? itemPrefix(payload.length) : undefined, body: payload };
}
