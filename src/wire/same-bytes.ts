/**
 * True when bytes [a, a + len) of `va` and [b, b + len) of `vb` are equal (the same view twice
 * compares two places of one buffer). A word at a time through DataViews: on the short runs it
 * serves (label sets, attribute values, ~10-200 bytes) a native `Buffer.compare` costs more in
 * call and argument checks than the comparison itself.
 */
export function sameBytes(va: DataView, a: number, vb: DataView, b: number, len: number): boolean {
  if (len >= 4) {
    // The last word first (overlapping the others: no byte loop for the tail): values that differ,
    // like `host-1` and `host-2` or consecutive ids, mostly differ at the end.
    if (va.getInt32(a + len - 4, true) !== vb.getInt32(b + len - 4, true)) return false;
    for (let i = 0; i + 4 < len; i += 4) if (va.getInt32(a + i, true) !== vb.getInt32(b + i, true)) return false;
    return true;
  }
  for (let i = 0; i < len; i++) if (va.getUint8(a + i) !== vb.getUint8(b + i)) return false;
  return true;
}
