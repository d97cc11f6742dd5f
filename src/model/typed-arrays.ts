/**
 * Growing typed arrays. State indexed by series id or row lives in typed arrays that double when
 * an index beyond their end shows up; every stage grows them the same way, with these.
 */
export function capacityFor(current: number, min: number): number {
  let cap = Math.max(1, current);
  while (cap < min) cap *= 2;
  return cap;
}

export function growU32(a: Uint32Array, cap: number, fill = 0): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(cap);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

export function growI32(a: Int32Array, cap: number, fill = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

export function growF64(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
