import type { ComplexValue, Labels, MetricBatch, SeriesTable } from '../api';
import { MetricBatchBuilder, MetricKind, seriesKey, STALE_NAN } from '../api';
import { parseExposition, parseLabels, type ExpositionSink } from './text-parser';
import { sampleRole } from './sample-role';
import { mergeTargetLabels } from './target-labels';
import { buildComplex, PartsAccumulator } from './parts-accumulator';

/** A cached series line: a plain series id, a part of a histogram/summary, or a line to skip. */
type Entry =
  | { kind: 'plain'; id: number; gen: number; seen: number; seenBefore: number }
  | { kind: 'part'; group: Group; role: 'bucket' | 'quantile' | 'sum' | 'count'; bound: number; seen: number; seenBefore: number }
  | { kind: 'skip'; seen: number; seenBefore: number };

interface Group {
  id: number;
  gen: number;
  readonly family: string;
  readonly labels: Labels;
  readonly parts: PartsAccumulator;
  seen: number;
  /** `seen` before the current scrape, to undo a scrape whose body failed to parse half-way. */
  seenBefore: number;
}

export interface TargetInfo {
  /** Target labels (`instance`, `job`, static labels), normalized. */
  readonly labels: Labels;
  readonly honorLabels: boolean;
}

/**
 * The per-target scrape state: a cache from series text to series id (so a known line costs one
 * lookup, no label parsing, no interning), histogram/summary reassembly, and staleness: a series
 * present in the previous successful scrape and missing now gets a STALE_NAN point, as does every
 * series when the target goes down. Ids are checked against the table's generation, never pinned.
 */
export class ScrapeState implements ExpositionSink {
  private readonly cache = new Map<string, Entry>();
  private readonly groups = new Map<string, Group>();
  private readonly types = new Map<string, string>();
  private readonly helps = new Map<string, string>();
  private scrapeNo = 0;
  /** Scrape number whose series are currently "present"; -1 after a failure. */
  private lastOk = -1;
  private builder = new MetricBatchBuilder();
  private active: Group[] = [];
  private nowMs = 0;
  private readonly synthetic = new Map<string, { id: number; gen: number }>();

  constructor(private readonly series: SeriesTable, private readonly target: TargetInfo) {}

  /** Parses a successful scrape into one batch: samples, reassembled families, stale markers, up=1. */
  scraped(text: string, openMetrics: boolean, nowMs: number, durationS: number): MetricBatch {
    const n = ++this.scrapeNo;
    this.nowMs = nowMs;
    this.builder = new MetricBatchBuilder();
    this.active = [];
    let samples: number;
    try {
      samples = parseExposition(text, openMetrics, this);
    } catch (err) {
      this.builder = new MetricBatchBuilder();
      // What the partial parse saw must not count as seen: the failure's stale markers are for
      // everything the last good scrape had.
      for (const e of this.cache.values()) if (e.seen === n) e.seen = e.seenBefore;
      for (const g of this.groups.values()) if (g.seen === n) g.seen = g.seenBefore;
      throw err;
    }
    for (const g of this.active) this.pushGroup(g);
    this.markVanished(n);
    this.lastOk = n;
    this.pushReport(1, durationS, samples);
    return this.builder.build();
  }

  /** The target is down (fetch or parse failed): stale markers for everything it had, up=0. */
  failed(nowMs: number, durationS: number): MetricBatch {
    this.nowMs = nowMs;
    this.builder = new MetricBatchBuilder();
    this.markVanished(++this.scrapeNo);
    this.lastOk = -1;
    this.pushReport(0, durationS, 0);
    return this.builder.build();
  }

  /** Stale markers for every series, synthetic ones included (the receiver stops). */
  stopped(nowMs: number): MetricBatch {
    this.nowMs = nowMs;
    this.builder = new MetricBatchBuilder();
    this.markVanished(++this.scrapeNo);
    this.lastOk = -1;
    for (const s of this.synthetic.values()) this.pushId(s.id, s.gen, STALE_NAN);
    return this.builder.build();
  }

  type(family: string, type: string): void {
    if (this.types.get(family) === type) return;
    // A family changed type: cached roles may be wrong, start over (costs one slow scrape).
    if (this.types.has(family)) this.cache.clear();
    this.types.set(family, type);
  }

  help(family: string, text: string): void {
    this.helps.set(family, text);
  }

  sample(seriesText: string, nameEnd: number, value: number, timestampMs: number): void {
    let e = this.cache.get(seriesText);
    if (e === undefined || (e.kind === 'plain' && this.series.generation(e.id) !== e.gen) || !this.alive(e)) {
      // The text is a slice of the whole body: keep a copy, or the cache would pin every body.
      const own = detach(seriesText);
      e = this.resolve(own, nameEnd);
      this.cache.set(own, e);
    }
    if (e.seen !== this.scrapeNo) {
      e.seenBefore = e.seen;
      e.seen = this.scrapeNo;
    }
    const ts = Number.isNaN(timestampMs) ? this.nowMs : timestampMs;
    if (e.kind === 'plain') {
      this.series.touch(e.id);
      this.builder.push(e.id, ts, value);
    } else if (e.kind === 'part') {
      const g = e.group;
      if (g.seen !== this.scrapeNo) {
        g.seenBefore = g.seen;
        g.seen = this.scrapeNo;
        g.parts.reset(ts);
        this.active.push(g);
      }
      g.parts.add(e.role, e.bound, value, ts);
    }
  }

  private alive(e: Entry): boolean {
    return e.kind !== 'plain' || this.series.has(e.id);
  }

  private resolve(seriesText: string, nameEnd: number): Entry {
    const name = seriesText.slice(0, nameEnd);
    const role = sampleRole(name, this.types);
    if (role.role === 'skip') return { kind: 'skip', seen: 0, seenBefore: 0 };
    const scraped = parseLabels(seriesText, nameEnd);
    if (role.role === 'plain') {
      const labels = mergeTargetLabels(scraped, this.target.labels, this.target.honorLabels);
      const id = this.intern(name, labels, role.counter ? MetricKind.COUNTER : MetricKind.GAUGE, this.helps.get(name));
      return { kind: 'plain', id, gen: this.series.generation(id), seen: 0, seenBefore: 0 };
    }
    const special = role.role === 'bucket' ? 'le' : role.role === 'quantile' ? 'quantile' : undefined;
    let bound = NaN;
    const rest: string[] = [];
    for (let i = 0; i < scraped.length; i += 2) {
      if (scraped[i] === special) bound = parseBound(scraped[i + 1]!);
      else rest.push(scraped[i]!, scraped[i + 1]!);
    }
    const labels = mergeTargetLabels(rest, this.target.labels, this.target.honorLabels);
    const key = seriesKey(role.family, labels);
    let group = this.groups.get(key);
    if (group === undefined) {
      const kind = role.summary ? MetricKind.SUMMARY : MetricKind.HISTOGRAM;
      const id = this.intern(role.family, labels, kind, this.helps.get(role.family));
      group = { id, gen: this.series.generation(id), family: role.family, labels, parts: new PartsAccumulator(role.summary), seen: 0, seenBefore: 0 };
      this.groups.set(key, group);
    }
    return { kind: 'part', group, role: role.role, bound, seen: 0, seenBefore: 0 };
  }

  private intern(name: string, labels: Labels, kind: MetricKind, help: string | undefined): number {
    return this.series.intern(name, labels, kind, help ? { description: help } : undefined);
  }

  private pushGroup(g: Group): void {
    if (!this.series.has(g.id) || this.series.generation(g.id) !== g.gen) {
      // The table evicted the id since the group was made (no scrape for a long while): re-intern.
      const kind = g.parts.summary ? MetricKind.SUMMARY : MetricKind.HISTOGRAM;
      g.id = this.intern(g.family, g.labels, kind, this.helps.get(g.family));
      g.gen = this.series.generation(g.id);
    }
    const complex: ComplexValue = buildComplex(g.parts);
    this.series.touch(g.id);
    this.builder.push(g.id, g.parts.timestamp, complex.sum, complex);
  }

  /** Stale markers for series present in the last successful scrape and not seen in scrape `n`; prunes the cache. */
  private markVanished(n: number): void {
    // A target may write one series as different text from one scrape to the next (label order,
    // spacing): staleness is per series, not per text.
    const present = new Set<number>();
    for (const e of this.cache.values()) if (e.seen === n && e.kind === 'plain') present.add(e.id);
    for (const [text, e] of this.cache) {
      if (e.seen === n) continue;
      if (e.seen === this.lastOk && e.kind === 'plain' && !present.has(e.id)) this.pushId(e.id, e.gen, STALE_NAN);
      this.cache.delete(text);
    }
    for (const [key, g] of this.groups) {
      if (g.seen === n) continue;
      if (g.seen === this.lastOk) this.pushId(g.id, g.gen, STALE_NAN);
      this.groups.delete(key);
    }
  }

  private pushId(id: number, gen: number, value: number): void {
    if (this.series.has(id) && this.series.generation(id) === gen) this.builder.push(id, this.nowMs, value);
  }

  private pushReport(up: number, durationS: number, samples: number): void {
    this.pushSynthetic('up', up);
    this.pushSynthetic('scrape_duration_seconds', durationS);
    this.pushSynthetic('scrape_samples_scraped', samples);
  }

  private pushSynthetic(name: string, value: number): void {
    let s = this.synthetic.get(name);
    if (s === undefined || !this.series.has(s.id) || this.series.generation(s.id) !== s.gen) {
      const id = this.series.intern(name, this.target.labels, MetricKind.GAUGE);
      s = { id, gen: this.series.generation(id) };
      this.synthetic.set(name, s);
    }
    this.series.touch(s.id);
    this.builder.push(s.id, this.nowMs, value);
  }
}

/** A copy of `s` that shares no memory with the string it was sliced from. */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function parseBound(text: string): number {
  const t = text.trim();
  if (t === '+Inf' || t === 'Inf' || t === '+inf' || t === 'inf') return Infinity;
  return Number(t);
}
