import type { AlertBatch, AlertNotification } from '../model/alerts';
import type { Batch } from '../model/batch';
import { batchSize } from '../model/batch';
import type { ControlBatch, ControlCommand } from '../model/control';
import { eventCount, type EventBatch, type TelemetryEvent } from '../model/events';
import type { MetricBatch } from '../model/metric-batch';
import type { SeriesTable } from '../model/series-table';
import { ByteReader, CorruptRecordError } from './byte-reader';
import { readComplex, writeComplex } from './complex-codec';
import { readSeriesDictionary, SeriesDictionary } from './series-dictionary';
import { readValue, type StoredValue, writeValue } from './value-codec';
import { allOtlpLogRecords, LogRecordsRequest } from '../otlp/encode/log-records-request';
import { checkProtoLogs, type OtlpLogRecords } from '../otlp/proto/logs-check';
import { ProtoWriter } from '../wire/proto-writer';
import { writeFloat64Array, writeString, writeUint32Array } from './writing';

/**
 * The on-disk form of a batch. Series ids are only meaningful inside one process, so a metric
 * batch carries its own dictionary (name, labels, kind, description, unit per distinct series)
 * and rows refer to dictionary positions; decoding interns them again.
 *
 * Layout: version, signal, item count (so a reader can count items without decoding), then
 * metrics: dictionary, columns as little-endian arrays, optional columns behind a flag byte;
 * events, alerts, control: each item as a tagged value (see value-codec.ts). Events that are
 * still the OTLP log records they arrived as take the signal code {@link EVENTS_AS_OTLP_LOGS}
 * instead, followed by the `ExportLogsServiceRequest` of exactly those records: storing and
 * restoring them builds no event, and what is restored is records again, sent on as bytes.
 *
 * The queue knows this one wire format because it is the one records come in (see
 * EventRecords); src/otlp depends on nothing above src/model and src/wire, so no cycle results,
 * and a fixed code is read back by any process, unlike a format registered at run time.
 */
export const CODEC_VERSION = 1;

const SIGNAL_CODES = { metrics: 0, events: 1, alerts: 2, control: 3 } as const;
const SIGNALS = ['metrics', 'events', 'alerts', 'control'] as const;
/** Signal code of events held as OTLP log records, stored as their request bytes. */
const EVENTS_AS_OTLP_LOGS = 4;

/** Plans are made and written in one synchronous call, so one planner serves every queue. */
const otlpLogs = new LogRecordsRequest();

const HAS_COMPLEX = 1;
const HAS_START = 2;
const HAS_EPOCHS = 4;
const HAS_REQUEST_IDS = 8;

/** Encodes into `w` (reset first); returns the encoded bytes as a view valid until the next use of `w`. */
export function encodeBatch(batch: Batch, series: SeriesTable, w = new ProtoWriter(4096)): Uint8Array {
  w.reset();
  w.ensure(16);
  w.byte(CODEC_VERSION);
  if (batch.signal === 'events' && batch.records !== undefined && allOtlpLogRecords(batch.records)) return writeOtlpLogs(w, batch.records);
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

/**
 * Decodes a batch, interning its series in `series`. Throws {@link CorruptRecordError}. Events
 * stored as OTLP log records come back as records that keep a view of `bytes`: pass bytes that
 * are not written again (the disk queue reads each record into a buffer of its own).
 */
export function decodeBatch(bytes: Uint8Array, series: SeriesTable): Batch {
  const r = new ByteReader(bytes);
  const code = readHeader(r);
  const n = r.count();
  if (code === EVENTS_AS_OTLP_LOGS) return readOtlpLogs(r, n);
  const signal = SIGNALS[code]!;
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

/** Reads version and signal code (an index of {@link SIGNALS}, or {@link EVENTS_AS_OTLP_LOGS}). */
function readHeader(r: ByteReader): number {
  const version = r.byte();
  if (version !== CODEC_VERSION) throw new CorruptRecordError(`unknown codec version ${version}`);
  const code = r.byte();
  if (code >= SIGNALS.length && code !== EVENTS_AS_OTLP_LOGS) throw new CorruptRecordError('unknown signal');
  return code;
}

function writeOtlpLogs(w: ProtoWriter, records: readonly OtlpLogRecords[]): Uint8Array {
  let n = 0;
  for (const rec of records) n += rec.count;
  w.byte(EVENTS_AS_OTLP_LOGS);
  w.varint(n);
  const size = otlpLogs.plan(records);
  w.ensure(size);
  otlpLogs.writeInto(w.buf, w.pos);
  w.pos += size;
  return w.written();
}

/** The rest of the record is an ExportLogsServiceRequest of `n` records, checked as on arrival (no time bound). */
function readOtlpLogs(r: ByteReader, n: number): Batch {
  const body = Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, r.remaining);
  let batch: EventBatch;
  try {
    batch = checkProtoLogs(body, Infinity, 0).batch;
  } catch (err) {
    throw new CorruptRecordError(`stored log records do not decode: ${(err as Error).message}`);
  }
  // Records valid when stored are valid now: fewer means the bytes changed under a matching CRC.
  if (eventCount(batch) !== n) throw new CorruptRecordError(`stored ${n} log records, ${eventCount(batch)} decode`);
  return batch;
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
