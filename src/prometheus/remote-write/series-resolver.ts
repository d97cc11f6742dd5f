import { isUtf8 } from 'node:buffer';
import { MetricKind, capacityFor, growU32, type SeriesTable } from '../../api';
import { ByteKeyIndex } from './byte-key-index';
import { malformed } from './proto-reader';
import { MetadataType } from './metadata';

export interface FamilyMetadata {
  readonly type: number;
  readonly help: string;
}

/** Entries the id arrays start with, and shrink back to when the key index is cleared. */
const INITIAL_ENTRIES = 1024;
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
  /** Label bytes to entry numbers; `ids`/`gens` hold each entry's series id and its generation. */
  private readonly keys = new ByteKeyIndex();
  private ids = new Uint32Array(INITIAL_ENTRIES);
  private gens = new Uint32Array(INITIAL_ENTRIES);
  private beforeIntern: (() => void) | undefined;
  /** Metadata by family name, remembered across requests (Prometheus sends it in separate requests). */
  readonly metadata = new Map<string, FamilyMetadata>();

  constructor(private readonly table: SeriesTable, private readonly maxEntries = 1_000_000) {}

  /**
   * Call before each request (see {@link hintedLength}). `beforeIntern` runs
   * once, before the request's first new series is interned (the decoder reads the request's
   * metadata then, so requests of known series never pay for that scan).
   */
  beginRequest(beforeIntern?: () => void): void {
    this.keys.beginRequest();
    this.beforeIntern = beforeIntern;
  }

  /** Call after each request: drops the references to its buffer. */
  endRequest(): void {
    this.keys.endRequest();
    this.beforeIntern = undefined;
  }

  /**
   * Senders repeat their series in the same order request after request. When the bytes at
   * `start` (up to `limit`) begin with the labels of the series that followed the previous one
   * last time, returns their length, else -1. Such a match proves where the labels end without reading them
   * field by field; {@link takeHint} then gives the id.
   */
  hintedLength(buf: Buffer, start: number, limit: number): number {
    const k = this.keys.hint();
    if (k < 0) return -1;
    const len = this.keys.keyLength(k);
    return start + len <= limit && this.keys.matches(k, buf, start, start + len) ? len : -1;
  }

  /** The series id of the labels {@link hintedLength} just matched at `buf[start, end)`. */
  takeHint(buf: Buffer, start: number, end: number): number {
    const k = this.keys.hint();
    this.keys.settle(k);
    return this.validate(k, buf, start, end);
  }

  /** The series id of the label bytes `buf[start, end)` (the position's hint first, then a hash lookup). */
  resolve(buf: Buffer, start: number, end: number): number {
    let k = this.keys.hint();
    let h = 0;
    if (k < 0 || !this.keys.matches(k, buf, start, end)) {
      h = this.keys.hash(buf, start, end); // kept for add() on a miss
      k = this.keys.lookup(buf, start, end, h);
    }
    if (k >= 0) {
      this.keys.settle(k);
      return this.validate(k, buf, start, end);
    }
    const id = this.intern(buf, start, end);
    // A bound on memory under label churn; the table itself keeps the series.
    if (this.keys.size >= this.maxEntries) {
      this.keys.clear();
      this.ids = new Uint32Array(INITIAL_ENTRIES);
      this.gens = new Uint32Array(INITIAL_ENTRIES);
    }
    k = this.keys.add(buf, start, end, h);
    if (k >= this.ids.length) {
      const cap = capacityFor(this.ids.length, k + 1);
      this.ids = growU32(this.ids, cap);
      this.gens = growU32(this.gens, cap);
    }
    this.ids[k] = id;
    this.gens[k] = this.table.generation(id);
    this.keys.settle(k);
    return id;
  }

  /** The entry's id if the table still holds it under the same generation, else the series interned again. */
  private validate(k: number, buf: Buffer, start: number, end: number): number {
    const id = this.ids[k]!;
    if (this.table.generation(id) === this.gens[k] && this.table.has(id)) {
      this.table.touch(id);
      return id;
    }
    const fresh = this.intern(buf, start, end);
    this.ids[k] = fresh;
    this.gens[k] = this.table.generation(fresh);
    return fresh;
  }

  rememberMetadata(family: string, meta: FamilyMetadata): void {
    if (this.metadata.size >= 100_000 && !this.metadata.has(family)) return;
    this.metadata.set(family, meta);
  }

  private intern(buf: Buffer, start: number, end: number): number {
    const hook = this.beforeIntern;
    if (hook !== undefined) {
      this.beforeIntern = undefined;
      hook();
    }
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

/** Flat `[name, value, ...]` from the Label fields in `buf[start, end)`; rejects bad and duplicate names, and values that are not UTF-8. */
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
      else if (tag === 0x12) {
        // toString would replace bad bytes with U+FFFD and store a value the sender never sent.
        if (!isUtf8(buf.subarray(s, e))) throw malformed('label value is not valid UTF-8');
        value = buf.toString('utf8', s, e);
      }
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
