const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The starting value of {@link mixBytes}, mixed with a seed (a length, a kind). */
export function hashSeed(seed: number): number {
  return FNV_OFFSET ^ seed;
}

/**
 * Mixes bytes [start, end) of `buf` (`view` over the same memory) into the 32-bit hash `h`, a
 * word at a time (an FNV-style multiply with an xorshift): cheap, and where it serves, keys are
 * always confirmed by comparing bytes, so a collision only costs that comparison.
 */
export function mixBytes(h: number, view: DataView, buf: Uint8Array, start: number, end: number): number {
  let p = start;
  for (; p + 4 <= end; p += 4) h = Math.imul(h ^ view.getInt32(p, true), FNV_PRIME) ^ (h >>> 13);
  for (; p < end; p++) h = Math.imul(h ^ buf[p]!, FNV_PRIME);
  return h;
}
