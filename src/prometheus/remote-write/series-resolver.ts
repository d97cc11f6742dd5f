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
 * Maps the raw label bytes of a TimeSeries to a series id. A hit costs a byte comparison (plus a
 * hash when the series moved in the sender's order) and allocates nothing; a miss parses the
 * labels, validates them and interns the series. Entries are checked against the table's
 * generation, so reused ids are re-interned.
 */
export class SeriesResolver {
  private readonly byHash = new Map<number, Entry>();
  private entries = 0;
  /** Entries by their position in the previous request (see {@link resolve}). */
  private byPosition: (Entry | undefined)[] = [];
  private cursor = 0;
  /** Metadata by family name, remembered across requests (Prometheus sends it in separate requests). */
  readonly metadata = new Map<string, FamilyMetadata>();

  constructor(private readonly table: SeriesTable, private readonly maxEntries = 1_000_000) {}

  /** Call before each request: positions restart (see {@link resolve}). */
  beginRequest(): void {
    this.cursor = 0;
  }

  /**
   * The series id of the label bytes `buf[start, end)`. Senders repeat their series in the same
   * order request after request, so the entry found at the same position last time is tried
   * first: a hit then costs one byte comparison and no hashing.
   */
  resolve(buf: Buffer, start: number, end: number): number {
    const at = this.cursor++;
    const hint = this.byPosition[at];
    if (hint !== undefined && hint.key.length === end - start && hint.key.compare(buf, start, end) === 0) return this.validate(hint, buf, start, end);
    const h = hashBytes(buf, start, end);
    for (let e = this.byHash.get(h); e !== undefined; e = e.next) {
      if (e.key.length !== end - start || e.key.compare(buf, start, end) !== 0) continue;
      this.byPosition[at] = e;
      return this.validate(e, buf, start, end);
    }
    const id = this.intern(buf, start, end);
    if (this.entries >= this.maxEntries) {
      // A bound on memory under label churn; the table itself keeps the series.
      this.byHash.clear();
      this.byPosition = [];
      this.entries = 0;
    }
    const key = Buffer.allocUnsafe(end - start);
    buf.copy(key, 0, start, end);
    const entry: Entry = { key, id, gen: this.table.generation(id), next: this.byHash.get(h) };
    this.byHash.set(h, entry);
    this.byPosition[at] = entry;
    this.entries++;
    return id;
  }

  /** The entry's id if the table still holds it under the same generation, else the series interned again. */
  private validate(e: Entry, buf: Buffer, start: number, end: number): number {
    if (this.table.generation(e.id) === e.gen && this.table.has(e.id)) {
      this.table.touch(e.id);
      return e.id;
    }
    e.id = this.intern(buf, start, end);
    e.gen = this.table.generation(e.id);
    return e.id;
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
  // 30 bits: stays a small integer (Smi), so Map keys are not heap-allocated numbers.
  return (h ^ (h >>> 13)) & 0x3fffffff;
}
