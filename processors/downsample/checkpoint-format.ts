import { endianness } from 'node:os';
import { MetricKind } from '../../src/api';
import { MOMENTS_STRIDE } from '../../src/sketch/moments';
import type { Snapshot } from './checkpoint-snapshot';
import { crc32 } from '../../src/wire/crc32';

/**
 * The binary checkpoint (version 2): a 64-byte header, then the snapshot's columns as raw
 * little-endian typed arrays, so writing is a handful of buffer views (no per-state encoding) and
 * reading is a copy per column.
 *
 * Header: magic `NISSA-DS` (8 bytes), u32 version, u32 column count, f64 body length, u32 CRC-32
 * of the body, 36 reserved (zero) bytes. Body: per column a u32 type tag and a u32 element count,
 * the elements, zero padding to a multiple of 8 bytes. Strings are two columns: UTF-8 byte
 * lengths and the concatenated bytes.
 */
const MAGIC = 'NISSA-DS';
const CHECKPOINT_VERSION = 2;
export const HEADER_BYTES = 64;

type Column = Uint8Array | Uint32Array | Int32Array | Float64Array;
type ColumnType = typeof Uint8Array | typeof Uint32Array | typeof Int32Array | typeof Float64Array;
const TAGS: ReadonlyMap<ColumnType, number> = new Map<ColumnType, number>([[Uint8Array, 1], [Uint32Array, 2], [Int32Array, 3], [Float64Array, 4]]);

/** Snapshot columns in file order, after the meta and string columns. */
const FIELDS = [
  ['seriesName', Uint32Array], ['seriesKind', Uint8Array], ['labelStart', Uint32Array], ['labelRefs', Uint32Array],
  ['tierName', Uint32Array], ['tierInterval', Float64Array], ['tierWindows', Uint32Array],
  ['windowStart', Float64Array], ['windowStates', Uint32Array],
  ['stateSeries', Uint32Array], ['stateClass', Uint8Array], ['moments', Float64Array], ['binCount', Uint32Array], ['binKeys', Int32Array], ['binCounts', Float64Array],
  ['counterSeries', Uint32Array], ['counterValue', Float64Array], ['counterTs', Float64Array], ['counterStart', Float64Array],
] as const satisfies readonly (readonly [keyof Snapshot, ColumnType])[];
const COLUMNS = 3 + FIELDS.length;

/** The body of a checkpoint as buffers to write in order (views of the snapshot's arrays, no copy). */
export function encodeBody(snap: Snapshot): Buffer[] {
  checkEndianness();
  // Each string on its own: joined, two lone surrogates side by side would encode as one character.
  const encoded = snap.strings.map((s) => Buffer.from(s, 'utf8'));
  const lengths = Uint32Array.from(encoded, (b) => b.length);
  const columns: Column[] = [Float64Array.of(snap.horizon, snap.relativeAccuracy), lengths, Buffer.concat(encoded)];
  for (const [field] of FIELDS) columns.push(snap[field]);
  const out: Buffer[] = [];
  for (const c of columns) {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(TAGS.get(c.constructor as ColumnType) ?? TAGS.get(Uint8Array)!, 0);
    head.writeUInt32LE(c.length, 4);
    out.push(head, Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    if (c.byteLength % 8 !== 0) out.push(Buffer.alloc(8 - (c.byteLength % 8)));
  }
  return out;
}

/** The header for a body of `bytes` bytes with this CRC-32 (see {@link crc32}). */
export function encodeHeader(bytes: number, checksum: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write(MAGIC, 0, 'latin1');
  h.writeUInt32LE(CHECKPOINT_VERSION, 8);
  h.writeUInt32LE(COLUMNS, 12);
  h.writeDoubleLE(bytes, 16);
  h.writeUInt32LE(checksum >>> 0, 24);
  return h;
}

/** Whether the file starts like a binary checkpoint (rather than a version 1 JSON one). */
export function isBinaryCheckpoint(file: Buffer): boolean {
  return file.length >= MAGIC.length && file.toString('latin1', 0, MAGIC.length) === MAGIC;
}

/**
 * Parses and validates a whole checkpoint file. Throws an error fit for a log line when anything
 * is off: truncation, version, checksum, or columns that do not fit together.
 */
export function decodeCheckpoint(file: Buffer): Snapshot {
  checkEndianness();
  if (file.length < HEADER_BYTES || !isBinaryCheckpoint(file)) throw new Error('not a downsample checkpoint');
  const version = file.readUInt32LE(8);
  if (version !== CHECKPOINT_VERSION) throw new Error(`unsupported checkpoint version ${version}`);
  if (file.readUInt32LE(12) !== COLUMNS) throw new Error('checkpoint has an unexpected column count');
  const bytes = file.readDoubleLE(16);
  if (bytes !== file.length - HEADER_BYTES) throw new Error(`checkpoint truncated or padded: ${file.length - HEADER_BYTES} body bytes, header says ${bytes}`);
  const body = file.subarray(HEADER_BYTES);
  if (crc32(body) !== file.readUInt32LE(24)) throw new Error('checkpoint checksum mismatch');
  const reader = new ColumnReader(body);
  const meta = reader.read(Float64Array);
  const lengths = reader.read(Uint32Array);
  const blob = reader.read(Uint8Array);
  if (meta.length !== 2) throw new Error('checkpoint meta column malformed');
  const strings = decodeStrings(lengths, Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
  const fields: Record<string, Column> = {};
  for (const [field, type] of FIELDS) fields[field] = reader.read(type);
  if (!reader.done) throw new Error('checkpoint has trailing bytes');
  const snap = { horizon: meta[0]!, relativeAccuracy: meta[1]!, strings, ...fields } as unknown as Snapshot;
  validate(snap);
  return snap;
}

class ColumnReader {
  private at = 0;

  constructor(private readonly body: Buffer) {}

  get done(): boolean {
    return this.at === this.body.length;
  }

  read<T extends ColumnType>(type: T): InstanceType<T> {
    if (this.at + 8 > this.body.length) throw new Error('checkpoint column header truncated');
    const tag = this.body.readUInt32LE(this.at);
    const count = this.body.readUInt32LE(this.at + 4);
    if (tag !== TAGS.get(type)) throw new Error(`checkpoint column at byte ${this.at} has type ${tag}, expected ${TAGS.get(type)}`);
    const size = count * type.BYTES_PER_ELEMENT;
    const start = this.at + 8;
    if (start + size > this.body.length) throw new Error('checkpoint column truncated');
    // A copy: the file buffer need not be aligned for the type, and the columns outlive it.
    const out = new type(count) as InstanceType<T>;
    new Uint8Array(out.buffer).set(this.body.subarray(start, start + size));
    this.at = start + size + ((8 - (size % 8)) % 8);
    return out;
  }
}

function decodeStrings(lengths: Uint32Array, blob: Buffer): string[] {
  const out: string[] = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i]!;
    if (end > blob.length) throw new Error('checkpoint string table truncated');
    out[i] = blob.toString('utf8', at, end);
    at = end;
  }
  if (at !== blob.length) throw new Error('checkpoint string table has trailing bytes');
  return out;
}

const KINDS = new Set<number>(Object.values(MetricKind));

/** Every reference in range and every count consistent, so restore cannot read out of bounds. */
export function validate(s: Snapshot): void {
  const fail = (what: string): never => {
    throw new Error(`checkpoint inconsistent: ${what}`);
  };
  const nStrings = s.strings.length;
  const nSeries = s.seriesName.length;
  if (s.seriesKind.length !== nSeries || s.labelStart.length !== nSeries + 1 || s.labelStart[0] !== 0 || s.labelStart[nSeries] !== s.labelRefs.length) fail('series columns');
  for (let i = 0; i < nSeries; i++) {
    const from = s.labelStart[i]!;
    const to = s.labelStart[i + 1]!;
    if (s.seriesName[i]! >= nStrings || !KINDS.has(s.seriesKind[i]!) || to < from || (to - from) % 2 !== 0) fail(`series ${i}`);
    // Labels must come back normalized (sorted by key, no duplicates), as the table requires.
    for (let k = from; k < to; k += 2) {
      if (s.labelRefs[k]! >= nStrings || s.labelRefs[k + 1]! >= nStrings) fail(`labels of series ${i}`);
      if (k > from && !(s.strings[s.labelRefs[k - 2]!]! < s.strings[s.labelRefs[k]!]!)) fail(`labels of series ${i} not sorted`);
    }
  }
  const nTiers = s.tierName.length;
  if (s.tierInterval.length !== nTiers || s.tierWindows.length !== nTiers || sum(s.tierWindows) !== s.windowStart.length) fail('tier columns');
  for (let t = 0; t < nTiers; t++) if (s.tierName[t]! >= nStrings) fail(`tier ${t}`);
  const nStates = s.stateSeries.length;
  if (s.windowStates.length !== s.windowStart.length || sum(s.windowStates) !== nStates) fail('window columns');
  if (s.stateClass.length !== nStates || s.moments.length !== nStates * MOMENTS_STRIDE || s.binCount.length !== nStates) fail('state columns');
  if (sum(s.binCount) !== s.binKeys.length || s.binCounts.length !== s.binKeys.length) fail('sketch columns');
  for (let i = 0; i < nStates; i++) if (s.stateSeries[i]! >= nSeries || s.stateClass[i]! > 2) fail(`state ${i}`);
  // Sketch bins are sorted runs (restore copies them as they are).
  for (let i = 0, b = 0; i < nStates; b += s.binCount[i++]!) {
    for (let k = b + 1; k < b + s.binCount[i]!; k++) if (!(s.binKeys[k - 1]! < s.binKeys[k]!)) fail(`sketch of state ${i} not sorted`);
  }
  const nCounters = s.counterSeries.length;
  if (s.counterValue.length !== nCounters || s.counterTs.length !== nCounters || s.counterStart.length !== nCounters) fail('counter columns');
  for (let i = 0; i < nCounters; i++) if (s.counterSeries[i]! >= nSeries) fail(`counter ${i}`);
}

function sum(a: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += a[i]!;
  return n;
}

function checkEndianness(): void {
  // Columns are the machine's typed arrays as they are; every platform Node runs on in practice is little-endian.
  if (endianness() !== 'LE') throw new Error('downsample checkpoints need a little-endian platform');
}
