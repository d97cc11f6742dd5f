import { Writer } from 'protobufjs/minimal';
import { nissaType, BATCH_TYPE } from '../../src/nissa-codec';
import type { Signal } from '../../src/api';

export const NOW = Date.UTC(2026, 0, 1);

/** Encodes a batch written as a plain object with the .proto field names, through protobufjs reflection. */
export function encodeObject(signal: Signal, obj: Record<string, unknown>): Uint8Array {
  const type = nissaType(BATCH_TYPE[signal]);
  return type.encode(type.fromObject(obj)).finish();
}

export function gauge(name: string, labels: Record<string, string> = {}, value = 1, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, labels, value, timestamp_ms: NOW, type: 'METRIC_TYPE_GAUGE', ...extra };
}

/** A metrics batch of one point whose name field carries raw bytes (e.g. invalid UTF-8). */
export function pointWithRawName(raw: Uint8Array): Uint8Array {
  const w = Writer.create();
  w.uint32(10).fork();
  w.uint32(10).bytes(raw);
  w.uint32(25).double(1).uint32(32).int64(NOW).uint32(40).uint32(1);
  w.ldelim();
  return w.finish();
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}
