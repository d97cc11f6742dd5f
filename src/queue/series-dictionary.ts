import type { MetricKind } from '../model/metric-kind';
import type { SeriesTable } from '../model/series-table';
import { ByteReader, CorruptRecordError } from './byte-reader';
import type { ProtoWriter } from '../wire/proto-writer';
import { writeString } from './writing';

const HAS_DESCRIPTION = 1;
const HAS_UNIT = 2;
const MAX_KIND = 6;

/** The distinct series of one batch, numbered in order of first use. */
export class SeriesDictionary {
  private readonly positions = new Map<number, number>();
  private readonly ids: number[] = [];
  private lastId = -1;
  private lastPos = 0;

  constructor(private readonly series: SeriesTable) {}

  /** Dictionary position of a series id; consecutive rows of one series skip the map. */
  index(id: number): number {
    if (id === this.lastId) return this.lastPos;
    let pos = this.positions.get(id);
    if (pos === undefined) {
      pos = this.ids.length;
      this.positions.set(id, pos);
      this.ids.push(id);
    }
    this.lastId = id;
    this.lastPos = pos;
    return pos;
  }

  write(w: ProtoWriter): void {
    w.varint(this.ids.length);
    for (const id of this.ids) {
      const info = this.series.info(id);
      writeString(w, info.name);
      w.ensure(2);
      w.byte(info.kind);
      w.varint(info.labels.length);
      for (const s of info.labels) writeString(w, s);
      w.ensure(1);
      w.byte((info.description ? HAS_DESCRIPTION : 0) | (info.unit ? HAS_UNIT : 0));
      if (info.description) writeString(w, info.description);
      if (info.unit) writeString(w, info.unit);
    }
  }
}

/** Reads a dictionary and interns every entry; returns the process's ids by dictionary position. */
export function readSeriesDictionary(r: ByteReader, series: SeriesTable): Uint32Array {
  const n = r.count(3);
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const name = r.string();
    const kind = r.byte();
    if (kind > MAX_KIND) throw new CorruptRecordError(`unknown metric kind ${kind}`);
    const nLabels = r.count();
    if (nLabels % 2 !== 0) throw new CorruptRecordError('odd label count');
    const labels: string[] = new Array(nLabels);
    for (let j = 0; j < nLabels; j++) labels[j] = r.string();
    const flags = r.byte();
    const meta: { description?: string; unit?: string } = {};
    if (flags & HAS_DESCRIPTION) meta.description = r.string();
    if (flags & HAS_UNIT) meta.unit = r.string();
    ids[i] = series.intern(name, Object.freeze(labels), kind as MetricKind, meta);
  }
  return ids;
}
