import type { Labels } from '../../api';
import { varintBytes } from './metadata';

/**
 * Encodes a label set as the repeated `Label labels = 1` fields of a TimeSeries: sorted by name
 * (Prometheus requires it), `__name__` included, plus an optional extra label (`le`, `quantile`).
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
  const parts: Buffer[] = [];
  for (const i of order) parts.push(encodeLabel(names[i]!, values[i]!));
  return Buffer.concat(parts);
}

/** One `Label` message with its field tag and length prefix. */
function encodeLabel(name: string, value: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const v = Buffer.from(value, 'utf8');
  const body = Buffer.concat([Buffer.from([0x0a]), varintBytes(n.length), n, Buffer.from([0x12]), varintBytes(v.length), v]);
  return Buffer.concat([Buffer.from([0x0a]), varintBytes(body.length), body]);
}

/**
 * Prometheus's labels for a series: names sanitised, empty values dropped (empty means absent in
 * Prometheus), names that collide after sanitising joined with `;` (the OTel rule), and external
 * labels added where the series does not set them. Result is sorted flat pairs without `__name__`.
 */
export function prometheusLabels(labels: Labels, external: Labels, sanitize: (name: string) => string): string[] {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < labels.length; i += 2) {
    const value = labels[i + 1]!;
    if (value === '') continue;
    const name = sanitize(labels[i]!);
    if (name === '__name__') continue;
    const prev = map.get(name);
    map.set(name, prev === undefined ? value : `${prev};${value}`);
  }
  for (let i = 0; i + 1 < external.length; i += 2) {
    if (!map.has(external[i]!) && external[i + 1] !== '') map.set(external[i]!, external[i + 1]!);
  }
  const out: string[] = [];
  for (const name of [...map.keys()].sort()) out.push(name, map.get(name)!);
  return out;
}
