/**
 * True when bytes [a, a + len) of `va` and [b, b + len) of `vb` are equal (the same view twice
 * compares two places of one buffer). Eight bytes at a time through DataViews: on the short runs it
 * serves (label sets, attribute values, ~10-200 bytes) a native `Buffer.compare` costs more in
 * call and argument checks than the comparison itself.
 */
export function sameBytes(va: DataView, a: number, vb: DataView, b: number, len: number): boolean {
  if (len >= 8) {
    // The last eight first (overlapping the others: no byte loop for the tail): values that
    // differ, like `host-1` and `host-2` or consecutive ids, mostly differ at the end.
    if (!sameEight(va, a + len - 8, vb, b + len - 8)) return false;
    for (let i = 0; i + 8 < len; i += 8) if (!sameEight(va, a + i, vb, b + i)) return false;
    return true;
  }
  if (len >= 4) {
    if (va.getInt32(a + len - 4, true) !== vb.getInt32(b + len - 4, true)) return false;
    return len === 4 || va.getInt32(a, true) === vb.getInt32(b, true);
  }
  for (let i = 0; i < len; i++) if (va.getUint8(a + i) !== vb.getUint8(b + i)) return false;
  return true;
}

/**
 * Eight bytes compared as one double: two doubles are equal exactly when their bits are, except
 * for zero (+0 equals -0) and NaN (never equal to itself). Those, and real differences, are
 * settled on the two 32-bit halves.
 */
function sameEight(va: DataView, a: number, vb: DataView, b: number): boolean {
  const x = va.getFloat64(a, true);
  if (x === vb.getFloat64(b, true) && x !== 0) return true;
  return va.getInt32(a, true) === vb.getInt32(b, true) && va.getInt32(a + 4, true) === vb.getInt32(b + 4, true);
}
