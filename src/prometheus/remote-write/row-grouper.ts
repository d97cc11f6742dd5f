import { capacityFor, growI32 } from '../../api';

/**
 * Groups rows by series id without a Map and without objects: a stable counting sort over
 * typed arrays. After `group`, slot s holds series `slotSeries[s]` with its rows in
 * `order[slotStart[s] .. slotStart[s] + slotCount[s])`, in their original order.
 */
export class RowGrouper {
  private slotOf: Int32Array = new Int32Array(1024).fill(-1);
  slotSeries = new Uint32Array(256);
  slotCount = new Uint32Array(256);
  slotStart = new Uint32Array(256);
  order = new Uint32Array(256);
  private fill = new Uint32Array(256);
  slots = 0;

  group(series: Uint32Array, rows: Uint32Array): void {
    const n = rows.length;
    this.fit(n);
    let slots = 0;
    for (let k = 0; k < n; k++) {
      const id = series[rows[k]!]!;
      if (id >= this.slotOf.length) this.growSlotOf(id);
      let s = this.slotOf[id]!;
      if (s < 0) {
        s = slots++;
        this.slotOf[id] = s;
        this.slotSeries[s] = id;
        this.slotCount[s] = 0;
      }
      this.slotCount[s]!++;
    }
    let at = 0;
    for (let s = 0; s < slots; s++) {
      this.slotStart[s] = at;
      this.fill[s] = at;
      at += this.slotCount[s]!;
    }
    for (let k = 0; k < n; k++) {
      const row = rows[k]!;
      const s = this.slotOf[series[row]!]!;
      this.order[this.fill[s]!++] = row;
    }
    this.slots = slots;
  }

  /** Clears the per-series marks set by the last `group` (only the ids it touched). */
  reset(): void {
    for (let s = 0; s < this.slots; s++) this.slotOf[this.slotSeries[s]!] = -1;
    this.slots = 0;
  }

  private fit(n: number): void {
    if (this.order.length >= n) return;
    const cap = Math.max(n, this.order.length * 2);
    this.slotSeries = new Uint32Array(cap);
    this.slotCount = new Uint32Array(cap);
    this.slotStart = new Uint32Array(cap);
    this.order = new Uint32Array(cap);
    this.fill = new Uint32Array(cap);
  }

  private growSlotOf(id: number): void {
    this.slotOf = growI32(this.slotOf, capacityFor(this.slotOf.length, id + 1), -1);
  }
}
