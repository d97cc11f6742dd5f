import type { EventRecords } from '../api';

/**
 * Events [start, end) of a list of records, as slices of them (views on the same bytes: nothing
 * is built or copied). Splitting a records batch and cutting it into requests both need this.
 */
export function recordsRange(records: readonly EventRecords[], start: number, end: number): EventRecords[] {
  const out: EventRecords[] = [];
  let offset = 0;
  for (const r of records) {
    const n = r.count;
    const from = Math.max(start - offset, 0);
    const to = Math.min(end - offset, n);
    if (from < to) out.push(from === 0 && to === n ? r : r.slice(from, to));
    offset += n;
    if (offset >= end) break;
  }
  return out;
}
