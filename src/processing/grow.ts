/**
 * Growing per-series-id typed arrays: ids are dense small integers, so state indexed by id lives
 * in typed arrays that double when an id beyond their end shows up.
 */
export function capacityFor(current: number, min: number): number {
  let cap = Math.max(1, current);
  while (cap < min) cap *= 2;
  return cap;
}

export function growU32(a: Uint32Array, cap: number, fill = 0): Uint32Array {
  const b = new Uint32Array(cap);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

export function growI32(a: Int32Array, cap: number, fill = 0): Int32Array {
  const b = new Int32Array(cap);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

export function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
