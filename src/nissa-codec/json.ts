import type { Signal } from '../api/signals';
import { MalformedMessage } from './rejections';
import { BATCH_TYPE, nissaType } from './schema';

/**
 * Turns a JSON request (the .proto field names, enums by name or number, 64-bit integers as
 * numbers or strings, bytes as base64) into the binary message, so JSON gets exactly the same
 * validation as protobuf. Costs a reflection pass per request: fine for the low-volume signals and
 * for tooling; high-volume metric senders should use protobuf.
 */
export function jsonToBinary(signal: Signal, body: Buffer): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new MalformedMessage(`invalid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MalformedMessage('JSON body must be an object');
  const type = nissaType(BATCH_TYPE[signal]);
  try {
    return type.encode(type.fromObject(parsed as Record<string, unknown>)).finish();
  } catch (err) {
    throw new MalformedMessage(`JSON does not match ${type.name}: ${(err as Error).message}`);
  }
}
