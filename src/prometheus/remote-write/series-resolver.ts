import { MetricKind, type SeriesTable } from '../../api';
import { malformed } from './proto-reader';
import { MetadataType } from './metadata';

interface Entry {
  readonly key: Buffer;
  id: number;
  gen: number;
  next: Entry | undefined;
}

export interface FamilyMetadata {
  readonly type: number;
  readonly help: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const FAMILY_SUFFIXES = ['_total', '_bucket', '_sum', '_count', '_created', '_info'];

/**
 * Maps the raw label bytes of a TimeSeries to a series id. A hit costs a hash and a byte
 * comparison (no string, no object); a miss parses the labels, validates them and interns the
 * series. Entries are checked against the table's generation, so reused ids are re-interned.
 */
export class SeriesResolver {
  private readonly byHash = new Map<number, Entry>();
  private entries = 0;
  /** Metadata by family name, remembered across requests (Prometheus sends it in separate requests). */
  readonly metadata = new Map<string, FamilyMetadata>();

  constructor(private readonly table: SeriesTable, private readonly maxEntries = 1_000_000) {}

  resolve(buf: Buffer, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    for (let e = this.byHash.get(h); e !== undefined; e = e.next) {
      if (!sameBytes(e.key, buf, start, end)) continue;
      if (this.table.generation(e.id) === e.gen && this.table.has(e.id)) {
        this.table.touch(e.id);
        return e.id;
      }
      e.id = this.intern(buf, start, end);
      e.gen = this.table.generation(e.id);
      return e.id;
    }
    const id = this.intern(buf, start, end);
    if (this.entries >= this.maxEntries) {
      // A bound on memory under label churn; the table itself keeps the series.
      this.byHash.clear();
      this.entries = 0;
    }
    const key = Buffer.allocUnsafe(end - start);
    buf.copy(key, 0, start, end);
    this.byHash.set(h, { key, id, gen: this.table.generation(id), next: this.byHash.get(h) });
    this.entries++;
    return id;
  }

  rememberMetadata(family: string, meta: FamilyMetadata): void {
    if (this.metadata.size >= 100_000 && !this.metadata.has(family)) return;
    this.metadata.set(family, meta);
  }

  private intern(buf: Buffer, start: number, end: number): number {
    const pairs = parseLabels(buf, start, end);
    let name: string | undefined;
    const labels: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) {
      if (pairs[i] === '__name__') name = pairs[i + 1];
      else if (pairs[i + 1] !== '') labels.push(pairs[i]!, pairs[i + 1]!);
    }
    if (!name) throw malformed('series without __name__');
    if (!METRIC_NAME.test(name)) throw malformed(`invalid metric name "${name.slice(0, 64)}"`);
    const family = this.familyOf(name);
    const kind = this.kindOf(name, family);
    const help = family?.help;
    return this.table.intern(name, Object.freeze(sortPairs(labels)), kind, help ? { description: help } : undefined);
  }

  private familyOf(name: string): FamilyMetadata | undefined {
    const exact = this.metadata.get(name);
    if (exact !== undefined || this.metadata.size === 0) return exact;
    for (const suffix of FAMILY_SUFFIXES) {
      if (name.endsWith(suffix)) return this.metadata.get(name.slice(0, -suffix.length));
    }
    return undefined;
  }

  /**
   * Counter when metadata says so (for the name itself or, for `_total`, its family), or without
   * metadata when the name ends in `_total`; gauge otherwise (histogram and summary parts included).
   */
  private kindOf(name: string, family: FamilyMetadata | undefined): MetricKind {
    if (family === undefined) return name.endsWith('_total') ? MetricKind.COUNTER : MetricKind.GAUGE;
    if (family.type !== MetadataType.COUNTER) return MetricKind.GAUGE;
    return this.metadata.get(name) !== undefined || name.endsWith('_total') ? MetricKind.COUNTER : MetricKind.GAUGE;
  }
}

/** Flat `[name, value, ...]` from the Label fields in `buf[start, end)`; rejects bad and duplicate names. */
function parseLabels(buf: Buffer, start: number, end: number): string[] {
  const out: string[] = [];
  let p = start;
  while (p < end) {
    if (buf[p] !== 0x0a) throw malformed('unexpected field among labels');
    const [msgStart, msgEnd] = delimited(buf, p + 1, end);
    let name = '';
    let value = '';
    let q = msgStart;
    while (q < msgEnd) {
      const tag = buf[q]!;
      const [s, e] = delimited(buf, q + 1, msgEnd);
      if (tag === 0x0a) name = buf.toString('utf8', s, e);
      else if (tag === 0x12) value = buf.toString('utf8', s, e);
      else throw malformed('unexpected field in a label');
      q = e;
    }
    if (!LABEL_NAME.test(name)) throw malformed(`invalid label name "${name.slice(0, 64)}"`);
    out.push(name, value);
    p = msgEnd;
  }
  for (let i = 2; i < out.length; i += 2) {
    if (out[i] === out[i - 2]) throw malformed(`duplicate label "${out[i]}"`);
  }
  return out;
}

/** Sorts flat pairs by name; already-sorted input (the norm) costs one pass. Rejects duplicates. */
function sortPairs(pairs: string[]): string[] {
  let sorted = true;
  for (let i = 2; i < pairs.length; i += 2) if (pairs[i - 2]! >= pairs[i]!) sorted = false;
  if (sorted) return pairs;
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) idx.push(i);
  idx.sort((a, b) => (pairs[a]! < pairs[b]! ? -1 : 1));
  const out: string[] = [];
  for (const i of idx) {
    if (out.length > 0 && out[out.length - 2] === pairs[i]) throw malformed(`duplicate label "${pairs[i]}"`);
    out.push(pairs[i]!, pairs[i + 1]!);
  }
  return out;
}

function delimited(buf: Buffer, p: number, end: number): [number, number] {
  let len = 0;
  let mul = 1;
  for (;;) {
    if (p >= end || mul > 2 ** 28) throw malformed('bad length prefix');
    const b = buf[p++]!;
    len += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
  }
  if (p + len > end) throw malformed('label runs past its series');
  return [p, p + len];
}

/**
 * A 32-bit hash of the bytes, four at a time (a multiply-xorshift mix): cheap, and collisions
 * only cost a byte comparison.
 */
function hashBytes(buf: Buffer, start: number, end: number): number {
  let h = (end - start) | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    h = Math.imul(h ^ w, 0x5bd1e995);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x5bd1e995);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Byte equality in JS: for ~100-byte keys cheaper than Buffer#compare's argument checks and native call. */
function sameBytes(key: Buffer, buf: Buffer, start: number, end: number): boolean {
  const n = key.length;
  if (n !== end - start) return false;
  for (let i = 0; i < n; i++) if (key[i] !== buf[start + i]) return false;
  return true;
}
