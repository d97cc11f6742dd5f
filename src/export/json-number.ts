/**
 * A number as JSON text. JSON has no NaN or infinities, so they become the strings "NaN", "+Inf"
 * and "-Inf" (the spelling Prometheus uses), which every JSON parser reads back without a custom
 * reviver. Finite numbers use JavaScript's shortest round-trip form.
 */
export function jsonNumber(n: number): string {
  // Small integers (counts, bucket counts) are V8 small ints: converting them is cheap.
  if (n === (n | 0)) return '' + n;
  // Millisecond timestamps are integers beyond 2^31, which V8 converts through its slow generic
  // double-to-string path (about 1 µs); two small-int conversions give the same digits much faster.
  if (n > 0 && n < 2e15 && Number.isInteger(n)) {
    const high = Math.floor(n / 1e6);
    return '' + high + ('' + (n - high * 1e6 + 1e6)).slice(1);
  }
  if (Number.isFinite(n)) return String(n);
  if (Number.isNaN(n)) return '"NaN"';
  return n > 0 ? '"+Inf"' : '"-Inf"';
}

/** A typed array of numbers as a JSON array, non-finite values spelled as in {@link jsonNumber}. */
export function jsonNumberArray(values: ArrayLike<number>): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + jsonNumber(values[i]!);
  return out + ']';
}
