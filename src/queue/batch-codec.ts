import type { AlertBatch, AlertNotification } from '../model/alerts';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';
import type { ControlBatch, ControlCommand } from '../model/control';
import type { EventBatch, TelemetryEvent } from '../model/events';
import type { MetricBatch } from '../model/metric-batch';
import type { SeriesTable } from '../model/series-table';
import { ByteReader, CorruptRecordError } from './byte-reader';
import { readComplex, writeComplex } from './complex-codec';
import { readSeriesDictionary, SeriesDictionary } from './series-dictionary';
import { readValue, type StoredValue, writeValue } from './value-codec';
import { ProtoWriter } from '../wire/proto-writer';
import { writeFloat64Array, writeString, writeUint32Array } from './writing';

/**
 * The on-disk form of a batch. Series ids are only meaningful inside one process, so a metric
 * batch carries its own dictionary (name, labels, kind, description, unit per distinct series)
 * and rows refer to dictionary positions; decoding interns them again.
 *
 * Layout: version, signal, item count (so a reader can count items without decoding), then
 * metrics: dictionary, columns as little-endian arrays, optional columns behind a flag byte;
 * events, alerts, control: each item as a tagged value (see value-codec.ts).
 */
export const CODEC_VERSION = 1;

const SIGNAL_CODES = { metrics: 0, events: 1, alerts: 2, control: 3 } as const;
const SIGNALS = ['metrics', 'events', 'alerts', 'control'] as const;

const HAS_COMPLEX = 1;
const HAS_START = 2;
const HAS_EPOCHS = 4;
const HAS_REQUEST_IDS = 8;

/** Encodes into `w` (reset first); returns the encoded bytes as a view valid until the next use of `w`. */
export function encodeBatch(batch: Batch, series: SeriesTable, w = new ProtoWriter(4096)): Uint8Array {
  w.reset();
  w.ensure(16);
  w.byte(CODEC_VERSION);
  w.byte(SIGNAL_CODES[batch.signal]);
  w.varint(batchSize(batch));
  if (batch.signal === 'metrics') writeMetrics(w, batch, series);
  else for (const item of batch.items) writeValue(w, item as unknown as StoredValue);
  return w.written();
}

/** The item count stored in an encoded batch's header. */
export function encodedItemCount(bytes: Uint8Array): number {
  const r = new ByteReader(bytes);
  readHeader(r);
  return r.varint();
}

/** Decodes a batch, interning its series in `series`. Throws {@link CorruptRecordError}. */
export function decodeBatch(bytes: Uint8Array, series: SeriesTable): Batch {
  const r = new ByteReader(bytes);
  const signal = readHeader(r);
  const n = r.count();
  if (signal === 'metrics') return readMetrics(r, n, series);
  const items: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = readValue(r);
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw new CorruptRecordError('item is not an object');
    items[i] = v;
  }
  if (r.remaining !== 0) throw new CorruptRecordError('trailing bytes');
  switch (signal) {
    case 'events': return { signal, items: items as TelemetryEvent[] } satisfies EventBatch;
    case 'alerts': return { signal, items: items as AlertNotification[] } satisfies AlertBatch;
    default: return { signal, items: items as ControlCommand[] } satisfies ControlBatch;
  }
}

function readHeader(r: ByteReader): Batch['signal'] {
  const version = r.byte();
  if (version !== CODEC_VERSION) throw new CorruptRecordError(`unknown codec version ${version}`);
  const signal = SIGNALS[r.byte()];
  if (!signal) throw new CorruptRecordError('unknown signal');
  return signal;
}

function writeMetrics(w: ProtoWriter, b: MetricBatch, series: SeriesTable): void {
  const dict = new SeriesDictionary(series);
  const local = new Uint32Array(b.length);
  for (let i = 0; i < b.length; i++) local[i] = dict.index(b.series[i]!);
  dict.write(w);
  writeUint32Array(w, local);
  writeFloat64Array(w, b.timestamps);
  writeFloat64Array(w, b.values);
  const flags = (b.complex ? HAS_COMPLEX : 0) | (b.startTimes ? HAS_START : 0) | (b.epochs ? HAS_EPOCHS : 0) | (b.requestIds ? HAS_REQUEST_IDS : 0);
  w.ensure(1);
  w.byte(flags);
  if (b.startTimes) writeFloat64Array(w, b.startTimes);
  if (b.epochs) writeFloat64Array(w, b.epochs);
  if (b.requestIds) {
    for (let i = 0; i < b.length; i++) {
      const id = b.requestIds[i];
      w.ensure(1);
      if (id === undefined) w.byte(0);
      else {
        w.byte(1);
        writeString(w, id);
      }
    }
  }
  if (b.complex) for (let i = 0; i < b.length; i++) writeComplex(w, b.complex[i]);
}

function readMetrics(r: ByteReader, n: number, series: SeriesTable): MetricBatch {
  const ids = readSeriesDictionary(r, series);
  const local = r.uint32Array(n);
  const seriesCol = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[local[i]!];
    if (id === undefined) throw new CorruptRecordError('series index out of range');
    seriesCol[i] = id;
  }
  const out: { -readonly [K in keyof MetricBatch]: MetricBatch[K] } = {
    signal: 'metrics',
    length: n,
    series: seriesCol,
    timestamps: r.float64Array(n),
    values: r.float64Array(n),
  };
  const flags = r.byte();
  if (flags & HAS_START) out.startTimes = r.float64Array(n);
  if (flags & HAS_EPOCHS) out.epochs = r.float64Array(n);
  if (flags & HAS_REQUEST_IDS) {
    const requestIds: (string | undefined)[] = new Array(n);
    for (let i = 0; i < n; i++) requestIds[i] = r.byte() === 0 ? undefined : r.string();
    out.requestIds = requestIds;
  }
  if (flags & HAS_COMPLEX) {
    const complex = new Array(n);
    for (let i = 0; i < n; i++) complex[i] = readComplex(r);
    out.complex = complex;
  }
  if (r.remaining !== 0) throw new CorruptRecordError('trailing bytes');
  return out;
}
