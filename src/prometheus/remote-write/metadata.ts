import { MetricKind } from '../../api';

/** `MetricMetadata.MetricType` of remote.proto. */
export const MetadataType = {
  UNKNOWN: 0,
  COUNTER: 1,
  GAUGE: 2,
  HISTOGRAM: 3,
  GAUGEHISTOGRAM: 4,
  SUMMARY: 5,
  INFO: 6,
  STATESET: 7,
} as const;
export type MetadataType = (typeof MetadataType)[keyof typeof MetadataType];

export function metadataTypeOf(kind: MetricKind): MetadataType {
  switch (kind) {
    case MetricKind.COUNTER:
    case MetricKind.DELTA_COUNTER:
      return MetadataType.COUNTER;
    case MetricKind.HISTOGRAM:
    case MetricKind.EXP_HISTOGRAM:
      return MetadataType.HISTOGRAM;
    case MetricKind.SUMMARY:
      return MetadataType.SUMMARY;
    default:
      return MetadataType.GAUGE;
  }
}

/** A `metadata` field (3) of WriteRequest, tag and length included. */
export function encodeMetadata(type: MetadataType, family: string, help: string, unit: string): Uint8Array {
  const parts: Buffer[] = [];
  if (type !== 0) parts.push(Buffer.from([0x08, type]));
  parts.push(stringField(0x12, family));
  if (help) parts.push(stringField(0x22, help));
  if (unit) parts.push(stringField(0x2a, unit));
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0x1a]), varintBytes(body.length), body]);
}

function stringField(tag: number, s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([tag]), varintBytes(b.length), b]);
}

export function varintBytes(v: number): Buffer {
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}
