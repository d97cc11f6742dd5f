import type { Labels } from '../../api';
import { ProtoWriter, varintSize } from '../../wire/proto-writer';

const scratch = new ProtoWriter(4096);

/**
 * Encodes a label set as the repeated `Label labels = 1` fields of a TimeSeries: sorted by name
 * (Prometheus requires it), `__name__` included, plus an optional extra label (`le`, `quantile`).
 * The result owns exactly its bytes (no slice of Buffer's shared pool kept alive by a cache).
 */
export function encodeLabelSet(metricName: string, pairs: Labels, extraName?: string, extraValue?: string): Uint8Array {
  const names: string[] = ['__name__'];
  const values: string[] = [metricName];
  for (let i = 0; i < pairs.length; i += 2) {
    names.push(pairs[i]!);
    values.push(pairs[i + 1]!);
  }
  if (extraName !== undefined) {
    names.push(extraName);
    values.push(extraValue!);
  }
  const order = names.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  scratch.reset();
  for (const i of order) writeLabel(names[i]!, values[i]!);
  return scratch.written().slice();
}

/** One `Label` message with its field tag and length prefix. */
function writeLabel(name: string, value: string): void {
  const n = Buffer.byteLength(name, 'utf8');
  const v = Buffer.byteLength(value, 'utf8');
  const body = 1 + varintSize(n) + n + 1 + varintSize(v) + v;
  scratch.ensure(body + 6);
  scratch.byte(0x0a);
  scratch.varint(body);
  scratch.byte(0x0a);
  scratch.varint(n);
  scratch.utf8(name, n);
  scratch.byte(0x12);
  scratch.varint(v);
  scratch.utf8(value, v);
}
