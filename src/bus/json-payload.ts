import type { Signal } from '../api';
import { BATCH_TYPE, nissaType } from '../nissa-codec';
import { BATCH_KEY } from './item-payloads';

export interface JsonPayload {
  readonly signal: Signal;
  /** The batch message in protobuf, so JSON gets the same validation as protobuf. */
  readonly bytes: Uint8Array;
}

/**
 * Turns a JSON payload (a batch or a single item, field names as in the .proto) into the binary
 * batch message. `signal` null means "tell metric messages from events": a metric point has a
 * `name`, an event has not. Throws with a readable message when the JSON cannot be used.
 */
export function jsonPayload(text: string, signal: Signal | null): JsonPayload {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('JSON payload must be an object');
  const obj = parsed as Record<string, unknown>;
  const s = signal ?? guessSignal(obj);
  const batch = Array.isArray(obj[BATCH_KEY[s]]) ? obj : { [BATCH_KEY[s]]: [obj] };
  const type = nissaType(BATCH_TYPE[s]);
  return { signal: s, bytes: type.encode(type.fromObject(batch)).finish() };
}

function guessSignal(obj: Record<string, unknown>): Signal {
  if (Array.isArray(obj['points'])) return 'metrics';
  if (Array.isArray(obj['events'])) return 'events';
  return typeof obj['name'] === 'string' ? 'metrics' : 'events';
}
